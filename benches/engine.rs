//! Benchmarks of the engine and the scenario loader (`cargo bench`).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use wedge_core::{Model, NoObserver, simulate};

fn one_run(c: &mut Criterion) {
    let model = Model::reference_2021();
    let mut run = 0u64;
    c.bench_function("baseline-2021 one run (40 turns)", |b| {
        b.iter(|| {
            run += 1;
            black_box(simulate(&model, 1, run, &mut NoObserver))
        })
    });
}

fn load_scenario(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kupchan-package.ron");
    c.bench_function("load and validate kupchan-package.ron", |b| {
        b.iter(|| black_box(wedge_scenario::load(&path).is_ok()))
    });
}

criterion_group!(benches, one_run, load_scenario);
criterion_main!(benches);
