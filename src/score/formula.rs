//! Relevance scoring proper: the hits [`super::relevance`] found become the score and its
//! explanation (the formula is documented there).

use super::lexicon::{Kind, Lexicon};
use super::relevance::{Field, Hit};
use super::{DatasetKind, MatchedTerm, Relevance, RelevanceComponents, Structure};

/// Turns hits into the score and its explanation.
pub(super) fn score(lex: &Lexicon, mut hits: Vec<Hit>, structure: Structure) -> Relevance {
    let params = &lex.scoring;
    let declared_task_only = |hit: &Hit| {
        hit.field == Field::TaskCategories
            && lex
                .patterns
                .get(hit.pattern)
                .and_then(|p| lex.categories.get(p.category))
                .is_some_and(|c| c.kind == Kind::NonConversational)
    };
    let effective = |hit: &Hit| {
        hit.field_weight
            * if hit.compound {
                params.compound_factor
            } else {
                1.0
            }
            * if declared_task_only(hit) {
                params.declared_task_factor
            } else {
                1.0
            }
    };
    // One hit per (term, field), the strongest.
    hits.sort_by(|a, b| {
        (a.pattern, a.field)
            .cmp(&(b.pattern, b.field))
            .then(effective(b).total_cmp(&effective(a)))
    });
    hits.dedup_by(|later, earlier| {
        later.pattern == earlier.pattern && later.field == earlier.field
    });

    let mut per_category = vec![0.0_f64; lex.categories.len()];
    let mut matched = Vec::new();
    let mut negatives = Vec::new();
    let mut modalities: Vec<String> = Vec::new();
    for group in hits.chunk_by(|a, b| a.pattern == b.pattern) {
        let Some(pattern) = group.first().and_then(|hit| lex.patterns.get(hit.pattern)) else {
            continue;
        };
        let (Some(category), Some(sum)) = (
            lex.categories.get(pattern.category),
            per_category.get_mut(pattern.category),
        ) else {
            continue;
        };
        let Some(best) = group.iter().map(effective).max_by(f64::total_cmp) else {
            continue;
        };
        let extra = group.len().saturating_sub(1).min(3) as f64;
        *sum += pattern.weight * (best + params.extra_field_bonus * extra);
        if pattern.weight == 0.0 {
            continue; // a phrase that only absorbs shorter matches (card template wording)
        }

        for hit in group {
            let term = MatchedTerm {
                term: pattern.term.clone(),
                category: category.name.clone(),
                field: hit.field.label().to_string(),
                weight: round4(pattern.weight * effective(hit)),
                compound: hit.compound,
            };
            match category.kind {
                Kind::Domain | Kind::Conversational => matched.push(term),
                Kind::NonConversational | Kind::Negative => negatives.push(term),
            }
        }
        if let (Kind::Domain, Some(modality)) = (category.kind, &pattern.modality) {
            if !modalities.contains(modality) {
                modalities.push(modality.clone());
            }
        }
    }

    let (mut s, mut c, mut x, mut n) = (0.0, 0.0, 0.0, 0.0);
    for (category, &sum) in lex.categories.iter().zip(&per_category) {
        let sum = category.cap.map_or(sum, |cap| sum.min(cap));
        match category.kind {
            Kind::Domain => s += sum,
            Kind::Conversational => c += sum,
            Kind::NonConversational => x += sum,
            Kind::Negative => n += sum,
        }
    }
    // The data's structure is form evidence of its own (explained as a `structure` match).
    let structure_term = |label: &str, weight: f64| MatchedTerm {
        term: label.to_string(),
        category: "structure".to_string(),
        field: "structure".to_string(),
        weight: round4(weight),
        compound: false,
    };
    match structure {
        Structure::Unknown => {}
        Structure::Conversation(label) => {
            c += params.structure_weight;
            matched.push(structure_term(label, params.structure_weight));
        }
        Structure::NotConversation(label) => {
            x += params.structure_weight;
            negatives.push(structure_term(label, params.structure_weight));
        }
    }
    let domain = (1.0 - (-s / params.domain_scale).exp()).max(params.topicless_domain);
    let conversational = 1.0 - (-c / params.format_scale).exp();
    let non_conversational = 1.0 - (-x / params.format_scale).exp();
    let format_factor = (params.unknown_format + params.conversational_bonus * conversational
        - params.non_conversational_penalty * non_conversational)
        .clamp(0.05, 1.0);
    let negative_factor = 1.0 / (1.0 + n);
    let score = (domain * format_factor * negative_factor).clamp(0.0, 1.0);

    let by_weight = |a: &MatchedTerm, b: &MatchedTerm| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.term.cmp(&b.term))
    };
    matched.sort_by(by_weight);
    negatives.sort_by(by_weight);
    modalities.sort();
    let mut relevance = Relevance {
        score: round4(score),
        matched,
        modalities,
        negatives,
        conversational: conversational >= 0.5 && conversational > non_conversational,
        components: RelevanceComponents {
            domain: round4(domain),
            conversational: round4(conversational),
            non_conversational: round4(non_conversational),
            format_factor: round4(format_factor),
            negative_factor: round4(negative_factor),
        },
        kind: DatasetKind::Other,
    };
    relevance.kind = DatasetKind::of(&relevance);
    relevance
}

/// Rounds to four decimals so stored JSON stays stable and readable.
pub(crate) fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}
