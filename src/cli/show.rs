//! `catalog show ID`: everything known about one dataset.

use super::args::{ShowArgs, ShowFormat};
use catalog::config::Config;
use catalog::output::record::ExportRecord;
use catalog::sanitize::{clean_line, strip_controls};
use catalog::store::Store;
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

/// Runs `catalog show`.
pub fn run(config: &Config, args: ShowArgs, _quiet: bool) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&config.catalog_path())?;
    let Some(mut d) = store.get(args.id.trim())? else {
        eprintln!(
            "no dataset `{}` in the catalog (try `catalog query {}`)",
            clean_line(&args.id, 100),
            clean_line(&args.id, 100)
        );
        return Ok(ExitCode::from(super::exit::RUNTIME));
    };
    let scorer =
        catalog::score::Scorer::new(super::load_lexicon(None)?, chrono::Utc::now().date_naive());
    scorer.fill_evidence(&d.record, &mut d.scores);
    let mut record = ExportRecord::from_stored(&d, None, None, true);
    if let Some(family) = &d.family {
        record.related = store
            .family_members(&family.family_id)?
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| *id != d.record.id)
            .collect();
    }
    let found_by = store.found_by(&d.record.id)?;
    if args.output == ShowFormat::Json {
        let mut value = serde_json::to_value(&record)?;
        if let Some(obj) = value.as_object_mut() {
            obj.insert(
                "card_data".into(),
                d.record.card_data.clone().unwrap_or_default(),
            );
            obj.insert("turns".into(), serde_json::to_value(&d.turns)?);
            obj.insert(
                "relevance_detail".into(),
                serde_json::to_value(&d.scores.relevance_detail)?,
            );
            obj.insert("first_seen".into(), d.first_seen.into());
            obj.insert("gone_at".into(), d.gone_at.into());
            obj.insert("found_by".into(), serde_json::to_value(&found_by)?);
            obj.insert(
                "family_evidence".into(),
                serde_json::to_value(d.family.as_ref().map(|f| &f.evidence))?,
            );
        }
        writeln!(
            std::io::stdout().lock(),
            "{}",
            catalog::sanitize::json_terminal_safe(serde_json::to_string_pretty(&value)?)
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let r = &d.record;
    // Built whole, then written once: a closed pipe is one error, not a panic.
    let mut text = String::new();
    let mut line = |k: &str, v: &str| {
        let _ = writeln!(text, "{k:<20} {}", clean_line(v, 400));
    };
    line("id", &r.id);
    line("url", &r.url());
    if let Some(n) = &r.pretty_name {
        line("pretty name", n);
    }
    line("relevance", &format!("{:.3}", d.scores.relevance));
    line(
        "quality",
        &format!("{:.3}  {}", d.scores.quality, d.scores.quality_breakdown()),
    );
    line("matched terms", &record.matched_terms.join(", "));
    line("modalities", &record.modalities.join(", "));
    line("kind", &record.kind);
    if let Some(family) = &d.family {
        line(
            "family",
            &format!(
                "{} (this dataset: {})",
                family.family_id,
                family.role.as_str()
            ),
        );
        for (id, member) in store.family_members(&family.family_id)? {
            let evidence = if member.evidence.is_empty() {
                String::new()
            } else {
                format!(" — {}", member.evidence.join("; "))
            };
            line("", &format!("{id}: {}{evidence}", member.role.as_str()));
        }
    }
    let breakdown = d.scores.relevance_breakdown();
    line(
        "relevance evidence",
        &super::query::relevance_evidence(&breakdown),
    );
    line(
        "downloads / likes",
        &format!("{} / {}", r.downloads, r.likes),
    );
    line("licence", &r.licenses.join(", "));
    line("languages", &r.languages.join(", "));
    line("task categories", &r.task_categories.join(", "));
    line(
        "created / modified",
        &format!(
            "{} / {}",
            r.created_at.as_deref().unwrap_or("?"),
            r.last_modified.as_deref().unwrap_or("?")
        ),
    );
    line(
        "size",
        &r.size_bytes
            .map(|s| format!("{s} bytes"))
            .unwrap_or_else(|| "?".into()),
    );
    line(
        "gated / disabled",
        &format!("{} / {}", r.gated.as_deref().unwrap_or("no"), r.disabled),
    );
    if let Some(gone) = &d.gone_at {
        line(
            "gone",
            &format!("missing from the Hub listing since {gone}"),
        );
    }
    match &d.turns {
        Some(t) => {
            line("turns status", &t.status);
            if let Some(reason) = &t.reason {
                line("turns reason", reason);
            }
            let figure = t.figure_kind.as_deref().unwrap_or("?");
            let source = record.turns_source.as_deref().unwrap_or("?");
            if let Some(avg) = t.avg_turns {
                line(
                    "turns",
                    &format!(
                        "avg {avg:.2}, median {:.1}, min {}, max {} over {} conversations ({figure}, {source})",
                        t.median_turns.unwrap_or(0.0),
                        t.min_turns.unwrap_or(0),
                        t.max_turns.unwrap_or(0),
                        t.conversations.unwrap_or(0),
                    ),
                );
            } else if let Some(bound) = t.lower_bound {
                line(
                    "turns",
                    &format!(
                        "at least {bound:.1} on average over {} conversations (lower bound: cut conversations, {source})",
                        t.conversations.unwrap_or(0)
                    ),
                );
            }
            if t.avg_turns.is_some() || t.lower_bound.is_some() {
                line(
                    "format",
                    record
                        .conversation_format
                        .as_deref()
                        .unwrap_or("? (a lower bound below 20 decides none)"),
                );
            }
            line(
                "viewer sample",
                &format!(
                    "config {} split {}, {} rows sampled, layout {}, column(s) {}{}",
                    t.config.as_deref().unwrap_or("?"),
                    t.split.as_deref().unwrap_or("?"),
                    t.rows_sampled.unwrap_or(0),
                    t.layout.as_deref().unwrap_or("?"),
                    t.columns.join(", "),
                    t.group_by
                        .as_deref()
                        .map(|g| format!(", grouped by {g}"))
                        .unwrap_or_default()
                ),
            );
            for (i, e) in t.evidence.iter().enumerate() {
                line(
                    if i == 0 { "turn evidence" } else { "" },
                    &describe_evidence(e),
                );
            }
            if let Some(n) = t.num_conversations {
                line(
                    "conversations",
                    &format!(
                        "{n} ({})",
                        t.num_conversations_source.as_deref().unwrap_or("?")
                    ),
                );
            }
        }
        None => line("turns", "not sampled yet"),
    }
    line("tags", &r.tags.join(", "));
    if !found_by.is_empty() {
        line("found by", &found_by.join(", "));
    }
    let _ = writeln!(
        text,
        "{:<20} from datasets import load_dataset; ds = load_dataset(\"{}\")",
        "load",
        clean_line(&r.id, 200)
    );
    if let Some(desc) = &r.description {
        let _ = writeln!(text, "\n{}", strip_controls(desc, true));
    }
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// One line per source: what it found, where, and why (the card's sentence is quoted).
fn describe_evidence(e: &catalog::turns::evidence::TurnEvidence) -> String {
    let what = match &e.figure {
        Some(f) => {
            let n = f
                .conversations
                .map(|n| format!(" over {n} conversations"))
                .unwrap_or_default();
            match f.kind {
                catalog::turns::evidence::FigureKind::LowerBound => {
                    format!("at least {:.1} turns{n} (lower bound)", f.avg)
                }
                kind => format!("{:.2} turns{n} ({})", f.avg, kind.as_str()),
            }
        }
        None => "no figure".to_string(),
    };
    let mut out = format!("{}: {what}", e.source.as_str());
    if !e.detail.is_empty() {
        let detail = if e.source == catalog::turns::evidence::EvidenceSource::Card {
            format!("\"{}\"", e.detail)
        } else {
            e.detail.clone()
        };
        out.push_str(&format!(" — {detail}"));
    }
    if let Some(layout) = &e.layout {
        out.push_str(&format!(" [{layout}]"));
    }
    if let Some(note) = &e.note {
        out.push_str(&format!("; {note}"));
    }
    out
}
