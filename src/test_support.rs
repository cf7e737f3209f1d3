//! Shared test helpers: a proptest strategy for the hostile Unicode Hub text really holds.

use proptest::prelude::*;

/// Characters that break naive text code: case mappings that change byte length (`İ`, `ẞ`,
/// Kelvin and Ångström signs, `ﬁ`), combining marks, RTL and bidi controls, CJK, emoji with ZWJ
/// and skin tones, C0/C1 controls, escape introducers, and separators parsers look for.
const HOSTILE: &[&str] = &[
    "İ",
    "ı",
    "ẞ",
    "ß",
    "\u{212a}",
    "\u{212b}",
    "ﬁ",
    "Σ",
    "ς",
    "\u{0336}",
    "\u{0301}",
    "é",
    "\u{202e}",
    "\u{2066}",
    "\u{200f}",
    "مرحبا",
    "שלום",
    "心理咨询",
    "来访者：",
    "咨询师：",
    "カウンセラー",
    "내담자",
    "👩\u{200d}⚕\u{fe0f}",
    "🧑🏽\u{200d}🤝\u{200d}🧑🏻",
    "\u{1b}[31m",
    "\u{1b}]8;;x\u{7}",
    "\u{9b}",
    "\u{85}",
    "\u{0}",
    "\r\n",
    "\n",
    "\t",
    " ",
    ":",
    "：",
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    "'",
    "#",
    "Therapist:",
    "Client:",
    "USER:",
    "<|im_start|>",
    "[INST]",
    "### Human:",
    "therapy",
    "trauma",
    "K",
    "i",
];

/// Arbitrary strings mixing any Unicode scalar with the [`HOSTILE`] pieces.
pub fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(HOSTILE).prop_map(str::to_string),
            2 => any::<char>().prop_map(|c| c.to_string()),
            1 => "[a-zA-Z ]{1,8}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

/// Cases per property in `cargo test`; `PROPTEST_CASES` raises it for long runs.
pub fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// Checks the stored names of a `strum`-named enum: the variants, in declaration order, are
/// named exactly `expected` (a renamed variant or string fails here), and `Into<&str>`,
/// `Display`, `AsRef<str>` and `FromStr` agree on every name and round-trip it.
pub(crate) fn assert_enum_names<E>(expected: &[&str])
where
    E: strum::IntoEnumIterator
        + Into<&'static str>
        + AsRef<str>
        + std::fmt::Display
        + std::str::FromStr
        + PartialEq
        + std::fmt::Debug
        + Clone,
    <E as std::str::FromStr>::Err: std::fmt::Debug,
{
    let names: Vec<&'static str> = E::iter().map(Into::into).collect();
    assert_eq!(names, expected);
    for variant in E::iter() {
        let name: &'static str = variant.clone().into();
        assert_eq!(variant.to_string(), name);
        assert_eq!(variant.as_ref(), name);
        assert_eq!(name.parse::<E>().unwrap(), variant);
    }
    assert!("no such name".parse::<E>().is_err());
}
