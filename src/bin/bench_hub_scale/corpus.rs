//! Deterministic synthetic Hub corpus: N `/api/datasets` listing items with the `expand=` keys
//! the catalog requests, one JSON object per line.
//!
//! Shapes follow the recorded Hub bodies (see the Hub API contract, §1 and §2.2): heavy-tailed
//! downloads and likes, empty-to-long descriptions, `cardData` on ~70% of items with `license` and
//! `language` as a string or a list, `dataset_info` as an object or a per-config list with sizes
//! beyond 2^31. About 1% of items are therapy-like and 1% are hard negatives (gene or physical
//! therapy, customer support). The same seed always yields the same bytes.

use crate::card;
use crate::rng::Rng;
use crate::vocab::{self, Domain};
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::io::{self, Write};

/// 2020-01-01T00:00:00Z, the earliest creation time.
const START_SECS: i64 = 1_577_836_800;
/// 2026-09-01T00:00:00Z, the latest modification time.
const END_SECS: i64 = 1_788_220_800;
/// The Hub's `createdAt` for every repo created before creation dates were stored.
const LEGACY_CREATED_AT: &str = "2022-03-02T23:29:04.000Z";
const LEGACY_CREATED_SECS: i64 = 1_646_263_744;

/// Writes `n` listing items for `seed` as JSON lines; with `light` items as the whole-Hub pass stores them: ordinary datasets keep
/// the light listing keys only (no `cardData`, citation or storage figures); therapy-like items
/// and hard negatives, which are candidates and get the detail call, stay complete. The same seed
/// gives the same ids, descriptions and tags in both shapes.
pub fn write_corpus_shaped<W: Write>(
    out: &mut W,
    n: u64,
    seed: u64,
    light: bool,
) -> io::Result<()> {
    let mut generator = CorpusGenerator::new(seed, n);
    generator.light = light;
    for _ in 0..n {
        serde_json::to_writer(&mut *out, &generator.next_item()).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// What an item is about.
#[derive(Clone, Copy)]
enum Kind {
    /// One of [`vocab::DOMAINS`].
    Ordinary(usize),
    /// Therapy-like (what the catalog looks for).
    Therapy,
    /// Says "therapy" or "support" but is something else.
    HardNegative,
}

/// Produces listing items one at a time; ids are unique within one generator.
pub struct CorpusGenerator {
    rng: Rng,
    users: Vec<String>,
    seen_ids: HashSet<String>,
    produced: u64,
    /// Ordinary items carry light listing keys only (see [`write_corpus_shaped`]).
    pub light: bool,
}

impl CorpusGenerator {
    /// A generator for `seed`, sized for about `n` items (that sets the number of owners).
    pub fn new(seed: u64, n: u64) -> CorpusGenerator {
        let mut rng = Rng::new(seed);
        let user_count = (n / 6).clamp(50, 2_000_000) as usize;
        let users = (0..user_count).map(|i| user_name(&mut rng, i)).collect();
        CorpusGenerator {
            rng,
            users,
            seen_ids: HashSet::with_capacity(n.min(10_000_000) as usize),
            produced: 0,
            light: false,
        }
    }

    /// The next listing item.
    pub fn next_item(&mut self) -> Value {
        let kind = self.kind();
        let domain = domain_of(kind);
        let owner = self.owner();
        let id = self.unique_id(&owner, domain);
        let (created_at, created_secs) = self.created_at();
        let modified_secs =
            created_secs + ((END_SECS - created_secs) as f64 * self.rng.unit().powi(3)) as i64;
        let downloads = self.downloads(kind);
        let likes = self.likes(downloads);
        let languages = self.languages();
        let license = self
            .rng
            .chance(0.8)
            .then(|| self.rng.weighted(vocab::LICENSES));
        let tasks = self.rng.some_of(domain.tasks, 1, 2);
        let free_tags = self.rng.some_of(domain.free_tags, 0, 3);
        let num_examples = self.rng.log_normal(8.0, 2.5).min(5e9) as u64 + 1;
        let example_bytes = self.rng.log_normal(6.0, 1.5).min(5e6) as u64 + 16;
        let dataset_size = num_examples.saturating_mul(example_bytes);
        let pretty_name = card::title_case(id.split('/').nth(1).unwrap_or(&id));
        let tags = self.tags(
            domain,
            &tasks,
            &languages,
            license,
            &free_tags,
            num_examples,
        );

        let mut item = Map::new();
        item.insert("_id".into(), json!(self.mongo_id(created_secs)));
        item.insert("id".into(), json!(id));
        item.insert("author".into(), json!(owner));
        item.insert("sha".into(), json!(self.rng.hex(40)));
        item.insert("lastModified".into(), json!(iso_timestamp(modified_secs)));
        item.insert("createdAt".into(), json!(created_at));
        item.insert("private".into(), json!(false));
        item.insert("gated".into(), self.gated());
        item.insert("disabled".into(), json!(self.rng.chance(0.002)));
        item.insert("downloads".into(), json!(downloads));
        let all_time = downloads + self.rng.log_normal(3.0, 2.5).min(1e9) as u64;
        item.insert("downloadsAllTime".into(), json!(all_time));
        item.insert("likes".into(), json!(likes));
        item.insert("trendingScore".into(), json!(self.trending(likes)));
        item.insert("tags".into(), json!(tags));
        if let Some(description) = card::description(
            &mut self.rng,
            matches!(kind, Kind::Ordinary(_)),
            domain,
            &id,
            &pretty_name,
        ) {
            item.insert("description".into(), json!(description));
        }
        let card_share = if matches!(kind, Kind::Ordinary(_)) {
            0.7
        } else {
            0.8
        };
        if self.rng.chance(card_share) {
            let card = card::card_data(
                &mut self.rng,
                &pretty_name,
                &languages,
                license,
                &tasks,
                &free_tags,
                (num_examples, example_bytes),
            );
            item.insert("cardData".into(), card);
        }
        let used_storage = dataset_size.saturating_mul(self.rng.between(1, 3)) / 2 + 4096;
        item.insert("usedStorage".into(), json!(used_storage));
        item.insert(
            "mainSize".into(),
            json!(used_storage / self.rng.between(1, 2)),
        );
        if self.rng.chance(0.1) {
            item.insert(
                "citation".into(),
                json!(card::citation(&owner, &pretty_name)),
            );
        }
        if self.rng.chance(0.03) {
            item.insert(
                "paperswithcode_id".into(),
                json!(pretty_name.to_lowercase()),
            );
        }
        if self.light && matches!(kind, Kind::Ordinary(_)) {
            for heavy in [
                "cardData",
                "citation",
                "paperswithcode_id",
                "usedStorage",
                "mainSize",
                "downloadsAllTime",
                "trendingScore",
            ] {
                item.remove(heavy);
            }
        }
        self.produced += 1;
        Value::Object(item)
    }

    fn kind(&mut self) -> Kind {
        match self.rng.unit() {
            u if u < 0.01 => Kind::Therapy,
            u if u < 0.02 => Kind::HardNegative,
            _ => Kind::Ordinary(self.rng.weighted_index(vocab::DOMAIN_WEIGHTS)),
        }
    }

    /// Organisations own ~6% of repos; among users a few are very prolific.
    fn owner(&mut self) -> String {
        if self.rng.chance(0.06) {
            return (*self.rng.pick(vocab::ORGS)).to_string();
        }
        let skewed = self.rng.unit().powi(3);
        self.users[((skewed * self.users.len() as f64) as usize).min(self.users.len() - 1)].clone()
    }

    fn unique_id(&mut self, owner: &str, domain: &Domain) -> String {
        let words = self.rng.some_of(domain.name_words, 1, 3);
        let name = match self.rng.below(3) {
            0 => words.join("-"),
            1 => words.join("_"),
            _ => words
                .iter()
                .map(|w| card::title_case(w).replace(' ', ""))
                .collect(),
        };
        let base = format!("{owner}/{name}{}", self.rng.pick(vocab::NAME_SUFFIXES));
        let mut id = base.clone();
        while self.seen_ids.contains(&id) {
            id = format!("{base}-{}", self.rng.between(2, 99_999));
        }
        self.seen_ids.insert(id.clone());
        id
    }

    /// Mongo-style id: creation time, random bytes, then a counter.
    fn mongo_id(&mut self, created_secs: i64) -> String {
        format!(
            "{:08x}{}{:06x}",
            created_secs as u32,
            self.rng.hex(10),
            self.produced & 0xFF_FFFF
        )
    }

    /// Skewed towards recent years (the Hub grows); ~4% carry the legacy creation date.
    fn created_at(&mut self) -> (String, i64) {
        if self.rng.chance(0.04) {
            return (LEGACY_CREATED_AT.to_string(), LEGACY_CREATED_SECS);
        }
        let secs = START_SECS + ((END_SECS - START_SECS) as f64 * self.rng.unit().sqrt()) as i64;
        (iso_timestamp(secs), secs)
    }

    fn gated(&mut self) -> Value {
        match self.rng.unit() {
            u if u < 0.03 => json!("auto"),
            u if u < 0.05 => json!("manual"),
            _ => json!(false),
        }
    }

    /// Last-30-days downloads: a third are zero, the rest log-normal with a Pareto head.
    fn downloads(&mut self, kind: Kind) -> u64 {
        if self.rng.chance(0.35) {
            return 0;
        }
        let boost = if matches!(kind, Kind::Therapy) {
            0.5
        } else {
            0.0
        };
        let value = if self.rng.chance(0.01) {
            self.rng.pareto(10_000.0, 0.9)
        } else {
            self.rng.log_normal(2.5 + boost, 2.3)
        };
        value.min(80_000_000.0) as u64
    }

    /// Likes: mostly zero, Pareto tail, more for well-downloaded datasets.
    fn likes(&mut self, downloads: u64) -> u64 {
        let zero_share = if downloads > 10_000 { 0.15 } else { 0.65 };
        if self.rng.chance(zero_share) {
            return 0;
        }
        let scale = 1.0 + (downloads as f64 + 1.0).log10();
        (self.rng.pareto(scale * 0.5, 1.15).min(12_000.0)) as u64
    }

    fn trending(&mut self, likes: u64) -> u64 {
        if likes == 0 || self.rng.chance(0.85) {
            return 0;
        }
        (self.rng.pareto(1.0, 1.5).min(600.0)) as u64
    }

    /// 12% none, mostly one, sometimes a multilingual list of up to 8.
    fn languages(&mut self) -> Vec<&'static str> {
        if self.rng.chance(0.12) {
            return Vec::new();
        }
        let count = if self.rng.chance(0.85) {
            1
        } else {
            self.rng.between(2, 8)
        };
        let mut out: Vec<&'static str> = Vec::new();
        for _ in 0..count {
            let language = self.rng.weighted(vocab::LANGUAGES);
            if !out.contains(&language) {
                out.push(language);
            }
        }
        out
    }

    fn tags(
        &mut self,
        domain: &Domain,
        tasks: &[&str],
        languages: &[&str],
        license: Option<&str>,
        free_tags: &[&str],
        num_examples: u64,
    ) -> Vec<String> {
        let mut tags: Vec<String> = Vec::with_capacity(16);
        if self.rng.chance(0.8) {
            tags.extend(tasks.iter().map(|t| format!("task_categories:{t}")));
        }
        tags.extend(languages.iter().map(|l| format!("language:{l}")));
        if let Some(license) = license {
            tags.push(format!("license:{license}"));
        }
        if self.rng.chance(0.7) {
            tags.push(format!(
                "size_categories:{}",
                card::size_category(num_examples)
            ));
        }
        if self.rng.chance(0.75) {
            tags.push(format!("format:{}", self.rng.pick(domain.formats)));
            tags.push(format!("modality:{}", domain.modality));
            for library in vocab::LIBRARIES {
                if *library == "datasets" || self.rng.chance(0.4) {
                    tags.push(format!("library:{library}"));
                }
            }
        }
        if self.rng.chance(0.08) {
            let (year, number) = (self.rng.between(18, 26), self.rng.between(1, 19_999));
            tags.push(format!(
                "arxiv:{year}{:02}.{number:05}",
                self.rng.between(1, 12)
            ));
        }
        if self.rng.chance(0.01) {
            tags.push(format!("doi:10.57967/hf/{}", self.rng.between(100, 9_999)));
        }
        if self.rng.chance(0.95) {
            tags.push("region:us".to_string());
        }
        tags.extend(free_tags.iter().map(|t| t.to_string()));
        if self.rng.chance(0.1) {
            tags.push(domain.name.to_string());
        }
        tags
    }
}

fn domain_of(kind: Kind) -> &'static Domain {
    match kind {
        Kind::Ordinary(i) => &vocab::DOMAINS[i],
        Kind::Therapy => &vocab::THERAPY,
        Kind::HardNegative => &vocab::HARD_NEGATIVES,
    }
}

/// A user name made of syllables, sometimes with digits or a separator.
fn user_name(rng: &mut Rng, index: usize) -> String {
    let mut name = String::new();
    for _ in 0..rng.between(2, 3) {
        let syllable = rng.pick(vocab::SYLLABLES);
        name.push_str(syllable);
    }
    match rng.below(4) {
        0 => name.push_str(&format!("{}", index % 1000)),
        1 => name = format!("{}-{}", card::title_case(&name), rng.pick(vocab::SYLLABLES)),
        _ => name.push_str(&format!("{}", index)),
    }
    name
}

/// `2024-11-25T20:07:28.000Z` for unix seconds (proleptic Gregorian, UTC).
pub fn iso_timestamp(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}
