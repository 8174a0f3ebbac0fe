//! `warden policy test FILE.wasm CASES.jsonl`: labelled cases through one
//! policy, a line per failing case, and precision / recall / F1 for the
//! positive class (deny by default), per category and overall. With labelled
//! `entities`, also span-level precision / recall per entity type.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use warden_sdk::cases::{Case, Entity};
use warden_sdk::{Target, Verdict};

use crate::engine::{Engine, EngineConfig};
use crate::policy::{ConfiguredPolicy, PolicyLinker, PolicyModule};

/// Arguments of `warden policy test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The policy component.
    pub file: PathBuf,
    /// Cases, one JSON object per line.
    pub cases: PathBuf,
    /// Config JSON for cases without their own `config`.
    #[arg(long, default_value = "{}")]
    pub config: String,
    /// The action counted as the positive class.
    #[arg(long, default_value = "deny")]
    pub positive: String,
    /// Report only: exit 0 even when cases fail (for evaluation sets).
    #[arg(long)]
    pub report_only: bool,
    /// Print at most this many failing cases.
    #[arg(long, default_value_t = 50)]
    pub max_failures: usize,
}

#[derive(Default)]
struct Counts {
    n: usize,
    failed: usize,
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Counts {
    fn add(&mut self, expected_pos: bool, predicted_pos: bool, ok: bool) {
        self.n += 1;
        self.failed += usize::from(!ok);
        match (expected_pos, predicted_pos) {
            (true, true) => self.tp += 1,
            (true, false) => self.fn_ += 1,
            (false, true) => self.fp += 1,
            (false, false) => self.tn += 1,
        }
    }
    fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn fpr(&self) -> Option<f64> {
        ratio(self.fp, self.fp + self.tn)
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn fmt(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.3}"))
}

fn f1(p: Option<f64>, r: Option<f64>) -> Option<f64> {
    match (p, r) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    }
}

/// Run `warden policy test`; returns the exit code.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let text = std::fs::read_to_string(&args.cases)
        .with_context(|| format!("cannot read {}", args.cases.display()))?;
    let cases =
        Case::parse_lines(&text).map_err(|e| anyhow::anyhow!("{}: {e}", args.cases.display()))?;
    if cases.is_empty() {
        bail!("{} holds no cases", args.cases.display());
    }

    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let engine = Engine::new(&EngineConfig::default()).map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let linker = PolicyLinker::new(&engine).map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let module = linker.load(&args.file.display().to_string(), &bytes)?;
    let mut configured: HashMap<String, Arc<ConfiguredPolicy>> = HashMap::new();

    let started = std::time::Instant::now();
    let mut overall = Counts::default();
    let mut per_category: BTreeMap<String, Counts> = BTreeMap::new();
    let mut entity_counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new(); // (tp, fp, fn)
    let mut printed = 0;
    for (line, case) in &cases {
        let id = case.name(*line);
        let config = case.config_json(&args.config);
        let policy = match configured.get(&config) {
            Some(p) => p.clone(),
            None => {
                let p = Arc::new(configure(&engine, &module, &config)?);
                configured.insert(config.clone(), p.clone());
                p
            }
        };
        let input = case
            .input()
            .map_err(|e| anyhow::anyhow!("case {id}: {e}"))?;
        let (action, verdict) = match policy.evaluate(&input) {
            Ok(v) => (v.action.name().to_string(), Some(v)),
            Err(fault) => (format!("fault ({fault})"), None),
        };
        let ok = action == case.expect;
        let expected_pos = case.expect == args.positive;
        let predicted_pos = action == args.positive;
        overall.add(expected_pos, predicted_pos, ok);
        per_category
            .entry(case.category.clone().unwrap_or_else(|| "-".into()))
            .or_default()
            .add(expected_pos, predicted_pos, ok);
        if let (Some(expected), Some(v)) = (&case.entities, &verdict) {
            score_entities(expected, v, &mut entity_counts);
        }
        if !ok && printed < args.max_failures {
            printed += 1;
            let score = verdict
                .as_ref()
                .and_then(|v| v.score)
                .map(|s| format!(" (score {s:.2})"))
                .unwrap_or_default();
            println!(
                "FAIL {id} [{}]: expected {}, got {action}{score}",
                case.category.as_deref().unwrap_or("-"),
                case.expect
            );
        }
    }
    let elapsed = started.elapsed();

    println!();
    println!(
        "{:<22} {:>6} {:>7} {:>10} {:>8} {:>8}",
        "category", "cases", "failed", "precision", "recall", "fpr"
    );
    for (cat, c) in &per_category {
        println!(
            "{cat:<22} {:>6} {:>7} {:>10} {:>8} {:>8}",
            c.n,
            c.failed,
            fmt(c.precision()),
            fmt(c.recall()),
            fmt(c.fpr())
        );
    }
    let (p, r) = (overall.precision(), overall.recall());
    println!(
        "\n{} cases, {} passed, {} failed in {:.1} ms; {} class: precision {} recall {} f1 {}; false-positive rate {}",
        overall.n,
        overall.n - overall.failed,
        overall.failed,
        elapsed.as_secs_f64() * 1e3,
        args.positive,
        fmt(p),
        fmt(r),
        fmt(f1(p, r)),
        fmt(overall.fpr())
    );
    if !entity_counts.is_empty() {
        println!(
            "\nentities (a predicted span counts when it overlaps a labelled span of the same type):"
        );
        println!(
            "{:<16} {:>6} {:>6} {:>6} {:>10} {:>8}",
            "type", "tp", "fp", "fn", "precision", "recall"
        );
        for (kind, (tp, fp, fn_)) in &entity_counts {
            println!(
                "{kind:<16} {tp:>6} {fp:>6} {fn_:>6} {:>10} {:>8}",
                fmt(ratio(*tp, tp + fp)),
                fmt(ratio(*tp, tp + fn_))
            );
        }
    }
    Ok(if overall.failed > 0 && !args.report_only {
        1
    } else {
        0
    })
}

fn configure(
    engine: &Engine,
    module: &Arc<PolicyModule>,
    config: &str,
) -> anyhow::Result<ConfiguredPolicy> {
    Ok(ConfiguredPolicy::new(
        engine,
        &module.info.name,
        module.clone(),
        config.to_string(),
        Default::default(),
        Default::default(),
        Default::default(),
    )?)
}

/// Entity type of a finding: the rule id after its first dot (`pii.email` → `email`).
fn finding_kind(rule: &str) -> &str {
    rule.split_once('.').map_or(rule, |(_, k)| k)
}

fn score_entities(
    expected: &[Entity],
    v: &Verdict,
    counts: &mut BTreeMap<String, (usize, usize, usize)>,
) {
    let predicted: Vec<(&str, u32, u32, u32)> = v
        .findings
        .iter()
        .filter_map(|f| {
            let s = f.span?;
            let Target::Message(m) = s.target else {
                return None;
            };
            Some((finding_kind(&f.rule), m, s.start, s.end))
        })
        .collect();
    let overlaps =
        |m: u32, a: (u32, u32), m2: u32, b: (u32, u32)| m == m2 && a.0 < b.1 && b.0 < a.1;
    for e in expected {
        let hit = predicted
            .iter()
            .any(|p| p.0 == e.kind && overlaps(p.1, (p.2, p.3), e.message, (e.start, e.end)));
        let c = counts.entry(e.kind.clone()).or_default();
        if hit { c.0 += 1 } else { c.2 += 1 }
    }
    for p in &predicted {
        let hit = expected
            .iter()
            .any(|e| p.0 == e.kind && overlaps(p.1, (p.2, p.3), e.message, (e.start, e.end)));
        if !hit {
            counts.entry(p.0.to_string()).or_default().1 += 1;
        }
    }
}
