//! Benchmarks (`cargo bench`): one run, one turn, one decision, 10k-run batches on one
//! and on all threads, scenario loading, and `compare --all-levers` end to end.
//! docs/PERFORMANCE.md reports the figures.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wedge_core::ChannelFlows;
use wedge_core::MAX_OPTIONS;
use wedge_core::{Horizon, LookAhead};
use wedge_core::{Model, NoObserver, simulate};
use wedge_runner::{Aggregate, Batch, Comparison, Control, compare_chunks, run_chunks};
use wedge_scenario::Resolved;

fn scenarios() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn engine(c: &mut Criterion) {
    let model = Model::reference_2021();
    let mut run = 0u64;
    c.bench_function("one run (baseline-2021, 40 turns)", |b| {
        b.iter(|| {
            run += 1;
            black_box(simulate(&model, 1, run, &mut NoObserver))
        })
    });

    let mut one_turn = model.spec().clone();
    one_turn.horizon_turns = 1;
    one_turn.split.consecutive_turns = 1;
    let one_turn = Model::new(one_turn).unwrap_or_else(|_| Model::reference_2021());
    c.bench_function("one turn (5 agents, 7 decisions)", |b| {
        b.iter(|| {
            run += 1;
            black_box(simulate(&one_turn, 1, run, &mut NoObserver))
        })
    });

    let state = model.spec().initial;
    let params = model.spec().params;
    let flows = ChannelFlows::default();
    let mut current_ahead = state;
    wedge_core::step(&mut current_ahead, &flows, &params, model.spec().turn_years);
    let horizon = Horizon::new(&params, model.spec().turn_years);
    let options = model.option_flows();
    let mut look = LookAhead::new(
        &model,
        options,
        &state,
        &current_ahead,
        &params,
        &flows,
        horizon,
    );
    let mut out = [0.0; MAX_OPTIONS];
    c.bench_function("one decision (Russia's alignment, 3 options)", |b| {
        b.iter(|| {
            look.utilities((2, 0), 0, &mut out[..3]);
            black_box(out[0])
        })
    });
}

fn batch(c: &mut Criterion) {
    let model = Model::reference_2021();
    let runs = 10_000;
    let mut group = c.benchmark_group("batch of 10k runs");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(40))
        .throughput(Throughput::Elements(runs));
    let never = AtomicBool::new(false);
    let all = rayon::current_num_threads();
    for threads in [1, all] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
        let Ok(pool) = pool else { continue };
        group.bench_function(format!("{threads} threads"), |b| {
            b.iter(|| {
                pool.install(|| {
                    let mut agg = Aggregate::new(&model);
                    let mut on_wave = |_: &Aggregate, _: u64| {};
                    let _ = run_chunks(
                        &model,
                        &Batch::whole(1, runs),
                        &mut agg,
                        Control {
                            stop: &never,
                            on_wave: &mut on_wave,
                        },
                    );
                    black_box(agg.splits)
                })
            })
        });
    }
    group.finish();
}

fn loading(c: &mut Criterion) {
    let path = scenarios().join("kupchan-package.ron");
    c.bench_function("load and validate kupchan-package.ron", |b| {
        b.iter(|| black_box(wedge_scenario::load(&path).is_ok()))
    });
}

fn compare_all_levers(c: &mut Criterion) {
    let mut group = c.benchmark_group("compare --all-levers");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    let runs = 1000;
    group.throughput(Throughput::Elements(runs * 14));
    group.bench_function("14 arms x 1000 runs, end to end", |b| {
        b.iter(|| {
            let resolved = Resolved::read(&scenarios().join("baseline-2021.ron"));
            let Ok(resolved) = resolved else { return 0 };
            let mut models = vec![];
            if let Ok(base) = resolved.build(&[], &[]) {
                models.push(base.model);
            }
            let names: Vec<String> = resolved
                .library()
                .and_then(|l| l.packages.iter().find(|p| p.name == "kupchan-package"))
                .map(|p| p.levers.clone())
                .unwrap_or_default();
            for name in names
                .iter()
                .chain(std::iter::once(&"kupchan-package".to_string()))
            {
                let uses = resolved
                    .library()
                    .map(|l| l.uses_of(name))
                    .and_then(Result::ok)
                    .unwrap_or_default();
                if let Ok(arm) = resolved.build(&uses, &[]) {
                    models.push(arm.model);
                }
            }
            let mut comparison = Comparison::new(&models);
            let never = AtomicBool::new(false);
            let mut on_wave = |_: &Comparison, _: u64| {};
            let _ = compare_chunks(
                &models,
                &Batch::whole(1, runs),
                &mut comparison,
                Control {
                    stop: &never,
                    on_wave: &mut on_wave,
                },
            );
            black_box(comparison.runs())
        })
    });
    group.finish();
}

criterion_group!(benches, engine, batch, loading, compare_all_levers);
criterion_main!(benches);
