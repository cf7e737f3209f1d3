//! Word lists behind the synthetic Hub corpus: topic domains (each with id words, description
//! vocabulary, task categories, free tags, modality and file formats), languages, licences and
//! the shared sentence pieces descriptions are assembled from.
//!
//! Everything here is static data; the generator in `corpus.rs` picks from it with a seeded PRNG.

/// One topic domain of synthetic datasets.
pub struct Domain {
    /// Short name, also used as a free tag now and then.
    pub name: &'static str,
    /// Words repo names are built from.
    pub name_words: &'static [&'static str],
    /// Nouns and noun phrases for descriptions.
    pub topics: &'static [&'static str],
    /// Whole sentences typical of the domain's dataset cards.
    pub sentences: &'static [&'static str],
    /// Hub task categories (`task_categories:<value>`).
    pub tasks: &'static [&'static str],
    /// Free tags (no `key:` prefix).
    pub free_tags: &'static [&'static str],
    /// Hub modality (`modality:<value>`).
    pub modality: &'static str,
    /// Hub file formats (`format:<value>`).
    pub formats: &'static [&'static str],
}

/// The ordinary domains, drawn with the weights in [`DOMAIN_WEIGHTS`].
pub const DOMAINS: &[Domain] = &[
    Domain {
        name: "nlp",
        name_words: &["text", "corpus", "news", "wiki", "qa", "squad", "sentiment", "ner", "summarization", "translation", "reviews", "nli", "glue", "instruct", "pretrain", "tokens", "web", "crawl", "books", "paraphrase"],
        topics: &["news articles", "Wikipedia paragraphs", "product reviews", "question-answer pairs", "named entities", "parallel sentences", "movie reviews", "scientific abstracts", "web documents", "tweets", "legal texts", "instructions and responses"],
        sentences: &[
            "Each example contains a passage and a human-written label.",
            "The corpus was deduplicated with MinHash and filtered for quality.",
            "Sentences were aligned automatically and checked by native speakers.",
            "Annotations follow the IOB2 scheme for named entity recognition.",
            "The text was cleaned of markup, boilerplate and personal information.",
            "We provide train, validation and test splits with no overlap between sources.",
        ],
        tasks: &["text-classification", "question-answering", "summarization", "translation", "token-classification", "text-generation", "fill-mask", "sentence-similarity", "zero-shot-classification"],
        free_tags: &["nlp", "benchmark", "pretraining", "instruction-tuning", "multilingual", "sft"],
        modality: "text",
        formats: &["parquet", "json", "csv", "arrow", "text"],
    },
    Domain {
        name: "vision",
        name_words: &["images", "photos", "coco", "imagenet", "faces", "segmentation", "detection", "captions", "scenes", "satellite", "sketches", "cifar", "objects", "pixels", "vqa"],
        topics: &["street scenes", "product photos", "aerial images", "hand-drawn sketches", "bounding boxes", "segmentation masks", "image captions", "medical scans", "animal pictures", "document scans"],
        sentences: &[
            "Every image is annotated with bounding boxes and class labels.",
            "Images were resized to 512 by 512 pixels and stored as JPEG.",
            "Captions were written by crowd workers and verified twice.",
            "The masks cover 80 object categories and a background class.",
            "Duplicates were removed with perceptual hashing.",
        ],
        tasks: &["image-classification", "object-detection", "image-segmentation", "image-to-text", "text-to-image", "visual-question-answering", "depth-estimation", "zero-shot-image-classification"],
        free_tags: &["computer-vision", "images", "diffusion", "synthetic", "art"],
        modality: "image",
        formats: &["imagefolder", "parquet", "webdataset", "json"],
    },
    Domain {
        name: "audio",
        name_words: &["speech", "asr", "voices", "music", "audio", "podcasts", "tts", "commonvoice", "librispeech", "sounds", "accents", "spoken"],
        topics: &["read speech", "spontaneous conversations", "music clips", "environmental sounds", "phone calls", "audiobooks", "speaker recordings", "transcribed lectures"],
        sentences: &[
            "Recordings are sampled at 16 kHz and come with verified transcripts.",
            "Each clip lasts between two and twenty seconds.",
            "Speakers cover a wide range of ages, genders and accents.",
            "Silence was trimmed and loudness normalised before release.",
        ],
        tasks: &["automatic-speech-recognition", "text-to-speech", "audio-classification", "audio-to-audio", "voice-activity-detection"],
        free_tags: &["speech", "asr", "tts", "music", "audio"],
        modality: "audio",
        formats: &["audiofolder", "parquet", "webdataset"],
    },
    Domain {
        name: "code",
        name_words: &["code", "github", "python", "stack", "commits", "functions", "leetcode", "sql", "repos", "snippets", "bugs", "kernels", "verilog", "rust"],
        topics: &["Python functions", "GitHub repositories", "SQL queries", "commit messages", "programming puzzles", "unit tests", "code reviews", "Jupyter notebooks"],
        sentences: &[
            "Files were filtered by licence and deduplicated at the repository level.",
            "Each problem ships with unit tests that the reference solution passes.",
            "Secrets and e-mail addresses were redacted before publication.",
            "Programs cover more than 40 programming languages.",
        ],
        tasks: &["text-generation", "text2text-generation", "question-answering"],
        free_tags: &["code", "programming", "software-engineering", "agents", "tool-use"],
        modality: "text",
        formats: &["parquet", "json", "arrow"],
    },
    Domain {
        name: "math",
        name_words: &["math", "gsm8k", "proofs", "algebra", "geometry", "olympiad", "arithmetic", "reasoning", "theorems", "calculus", "aime", "word-problems"],
        topics: &["grade-school word problems", "competition problems", "formal proofs", "step-by-step solutions", "chain-of-thought traces", "geometry diagrams"],
        sentences: &[
            "Each problem comes with a worked solution and a final numeric answer.",
            "Solutions were generated by a large model and verified against the reference answer.",
            "Problems range from elementary arithmetic to olympiad level.",
            "We release the chain-of-thought traces together with the answers.",
        ],
        tasks: &["question-answering", "text-generation"],
        free_tags: &["math", "reasoning", "chain-of-thought", "synthetic"],
        modality: "text",
        formats: &["parquet", "json"],
    },
    Domain {
        name: "medical",
        name_words: &["medical", "clinical", "pubmed", "radiology", "ehr", "biomed", "drugs", "patients", "diagnosis", "mimic", "health", "genomics"],
        topics: &["clinical notes", "radiology reports", "PubMed abstracts", "drug interactions", "patient questions", "discharge summaries", "medical exam questions"],
        sentences: &[
            "All records were de-identified following HIPAA safe-harbor rules.",
            "Questions come from medical licensing exams with expert explanations.",
            "Reports were paired with the corresponding chest X-ray images.",
            "Entities are linked to UMLS concepts.",
        ],
        tasks: &["question-answering", "text-classification", "token-classification", "summarization"],
        free_tags: &["medical", "biology", "clinical", "healthcare", "biomedical"],
        modality: "text",
        formats: &["parquet", "json", "csv"],
    },
    Domain {
        name: "robotics",
        name_words: &["robot", "lerobot", "manipulation", "grasping", "episodes", "so100", "aloha", "trajectories", "teleop", "pick-place", "navigation"],
        topics: &["teleoperated episodes", "joint trajectories", "camera streams", "pick-and-place demonstrations", "navigation logs"],
        sentences: &[
            "Episodes were recorded with two wrist cameras at 30 frames per second.",
            "Each frame stores joint positions, actions and the task instruction.",
            "The dataset was created with LeRobot.",
        ],
        tasks: &["robotics", "reinforcement-learning"],
        free_tags: &["LeRobot", "robotics", "so100", "tutorial"],
        modality: "timeseries",
        formats: &["parquet", "video"],
    },
    Domain {
        name: "finance",
        name_words: &["finance", "stocks", "sec", "filings", "earnings", "crypto", "market", "fintech", "banking", "fraud", "invoices"],
        topics: &["earnings call transcripts", "SEC filings", "stock prices", "financial news", "transaction records", "analyst reports"],
        sentences: &[
            "Prices are daily closing values adjusted for splits and dividends.",
            "Sentences are labelled positive, negative or neutral by finance experts.",
            "Filings were parsed from EDGAR and split into sections.",
        ],
        tasks: &["text-classification", "time-series-forecasting", "tabular-classification", "question-answering"],
        free_tags: &["finance", "economics", "stocks", "tabular"],
        modality: "tabular",
        formats: &["csv", "parquet", "json"],
    },
    Domain {
        name: "chat",
        name_words: &["chat", "dialogue", "conversations", "sharegpt", "assistant", "rlhf", "dpo", "preference", "ultrachat", "roleplay", "alpaca", "oasst"],
        topics: &["assistant conversations", "preference pairs", "role-play dialogues", "multi-turn chats", "system prompts", "chosen and rejected responses"],
        sentences: &[
            "Conversations are stored in the messages format with system, user and assistant roles.",
            "Each prompt has a chosen and a rejected response ranked by annotators.",
            "Dialogues were generated with a frontier model and filtered for refusals.",
            "The average conversation has four turns.",
        ],
        tasks: &["text-generation", "question-answering", "text-classification"],
        free_tags: &["conversational", "dpo", "rlhf", "sft", "instruction-tuning", "synthetic"],
        modality: "text",
        formats: &["parquet", "json"],
    },
];

/// Relative weights of [`DOMAINS`] (same order).
pub const DOMAIN_WEIGHTS: &[u32] = &[30, 16, 7, 9, 8, 6, 8, 4, 12];

/// Therapy-like datasets: what the catalog exists to find.
pub const THERAPY: Domain = Domain {
    name: "mental-health",
    name_words: &["therapy", "counseling", "counselling", "mental-health", "MentalHealth", "psychotherapy", "cbt", "therapist", "empathetic", "emotional-support", "psych", "PsychConv", "wellbeing", "crisis-support", "motivational-interviewing"],
    topics: &["therapy session transcripts", "counseling conversations", "empathetic dialogues", "cognitive behavioral therapy exercises", "mental health support chats", "client and therapist turns", "motivational interviewing sessions", "trauma-informed counseling", "depression and anxiety screenings", "psychology questions"],
    sentences: &[
        "Each conversation is a multi-turn dialogue between a client and a counselor.",
        "Sessions follow cognitive behavioral therapy (CBT) techniques such as cognitive restructuring.",
        "Dialogues average 18 turns and cover depression, anxiety, trauma and grief.",
        "Responses were reviewed by licensed therapists for empathy and safety.",
        "The data supports research on empathetic dialogue and emotional support conversation (ESC).",
        "Clients describe their problems and the therapist responds with reflective listening.",
        "This dataset is intended for research on mental health counseling and must not replace professional care.",
        "Multi-turn counseling transcripts were synthesised from psychology textbooks.",
        "Speakers alternate between user and therapist for up to 40 turns.",
    ],
    tasks: &["text-generation", "question-answering", "text-classification", "conversational"],
    free_tags: &["mental-health", "therapy", "counseling", "psychology", "empathy", "medical", "emotional-support", "cbt"],
    modality: "text",
    formats: &["json", "parquet", "csv"],
};

/// Hard negatives: datasets that say "therapy" or "support" but are not counseling conversations.
pub const HARD_NEGATIVES: Domain = Domain {
    name: "hard-negative",
    name_words: &[
        "gene-therapy",
        "GeneTherapy",
        "physical-therapy",
        "physiotherapy",
        "rehab",
        "customer-support",
        "support-tickets",
        "helpdesk",
        "radiation-therapy",
        "CustomerService",
    ],
    topics: &[
        "gene therapy trials",
        "CRISPR vectors",
        "physical therapy exercises",
        "rehabilitation motion capture",
        "customer support tickets",
        "helpdesk conversations",
        "radiation therapy plans",
        "IT support logs",
    ],
    sentences: &[
        "Records describe gene therapy clinical trials and their viral vectors.",
        "Patients performed physical therapy exercises in front of a depth camera.",
        "Tickets were exported from a customer support helpdesk and anonymised.",
        "Agents answer product questions in multi-turn customer service chats.",
        "Dose plans for radiation therapy were collected from three hospitals.",
        "Each support ticket has a category, a priority and the agent's resolution.",
    ],
    tasks: &[
        "text-classification",
        "tabular-classification",
        "text-generation",
        "video-classification",
    ],
    free_tags: &[
        "biology",
        "genomics",
        "rehabilitation",
        "customer-support",
        "customer-service",
        "healthcare",
    ],
    modality: "text",
    formats: &["csv", "parquet", "json"],
};

/// Language codes with relative weights (English dominates, as on the Hub).
pub const LANGUAGES: &[(&str, u32)] = &[
    ("en", 520),
    ("zh", 60),
    ("fr", 30),
    ("de", 28),
    ("es", 28),
    ("ru", 22),
    ("ja", 20),
    ("ko", 16),
    ("pt", 14),
    ("it", 12),
    ("ar", 14),
    ("hi", 10),
    ("vi", 9),
    ("tr", 9),
    ("pl", 7),
    ("nl", 7),
    ("id", 8),
    ("th", 6),
    ("fa", 6),
    ("uk", 6),
    ("sv", 4),
    ("cs", 4),
    ("he", 4),
    ("bn", 5),
    ("ta", 4),
    ("ur", 4),
    ("sw", 3),
    ("el", 3),
    ("ro", 3),
    ("hu", 3),
    ("fi", 3),
    ("da", 3),
    ("no", 2),
    ("ms", 3),
    ("yo", 2),
    ("am", 2),
    ("te", 2),
    ("mr", 2),
    ("tl", 2),
    ("ca", 2),
];

/// Licence ids with relative weights.
pub const LICENSES: &[(&str, u32)] = &[
    ("mit", 220),
    ("apache-2.0", 180),
    ("cc-by-4.0", 120),
    ("cc-by-sa-4.0", 40),
    ("cc-by-nc-4.0", 60),
    ("cc-by-nc-sa-4.0", 30),
    ("cc0-1.0", 35),
    ("other", 70),
    ("odc-by", 15),
    ("openrail", 20),
    ("unknown", 25),
    ("gpl-3.0", 12),
    ("cc-by-nc-nd-4.0", 10),
    ("llama3.1", 8),
    ("bsd-3-clause", 6),
    ("cc-by-3.0", 6),
    ("afl-3.0", 5),
    ("odbl", 5),
    ("cdla-permissive-2.0", 4),
    ("gemma", 3),
    ("agpl-3.0", 3),
    ("artistic-2.0", 2),
    ("wtfpl", 2),
];

/// Syllables for user names.
pub const SYLLABLES: &[&str] = &[
    "ka", "ro", "mi", "zen", "lu", "ta", "vo", "shi", "an", "el", "dra", "qui", "nor", "bel",
    "tor", "sa", "ki", "li", "mo", "ra", "jun", "hao", "wei", "xin", "dev", "ai", "lab", "pe",
    "ne", "ox",
];

/// Organisation-like owners that publish many datasets.
pub const ORGS: &[&str] = &[
    "open-data-lab",
    "NeuralForge",
    "bigscience-x",
    "datacollective",
    "UniversityNLP",
    "acme-ai",
    "HealthAI-Group",
    "robotics-hub",
    "speechworks",
    "vision-institute",
    "finlab",
    "code-commons",
    "MathReasoning",
    "polyglot-org",
    "safety-research",
    "CareLab",
    "open-llm-data",
    "agentic-org",
];

/// Name suffixes that make repo names look real.
pub const NAME_SUFFIXES: &[&str] = &[
    "",
    "",
    "",
    "",
    "-v2",
    "_v1",
    "-small",
    "-large",
    "-filtered",
    "-clean",
    "_en",
    "-10k",
    "-100k",
    "-sft",
    "-dpo",
    "-eval",
    "-test",
    "-2024",
    "-2025",
    "-mini",
    "-full",
    "-raw",
];

/// Domain-neutral sentences that pad descriptions.
pub const GENERIC_SENTENCES: &[&str] = &[
    "The dataset is released for research purposes only.",
    "Please cite the accompanying paper if you use this dataset.",
    "Data fields are documented in the dataset card below.",
    "The data was collected between 2019 and 2024 from public sources.",
    "Known limitations include sampling bias and label noise.",
    "Contributions and bug reports are welcome on the community tab.",
    "We thank the annotators for their careful work.",
    "Splits were created with a fixed random seed for reproducibility.",
    "Personal and sensitive information was removed where possible.",
    "The loading script returns a datasets.Dataset with the fields listed below.",
    "Version 2 fixes duplicated rows and malformed records found in version 1.",
    "Use the default configuration unless you need the raw files.",
];

/// Libraries the Hub infers (`library:<value>`).
pub const LIBRARIES: &[&str] = &[
    "datasets",
    "pandas",
    "mlcroissant",
    "polars",
    "dask",
    "webdataset",
];

/// Size categories by upper bound of the example count.
pub const SIZE_CATEGORIES: &[(u64, &str)] = &[
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
    (1_000_000_000, "100M<n<1B"),
    (u64::MAX, "n>1T"),
];
