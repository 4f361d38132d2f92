//! Tests of PRIM on data with known boxes, and of its errors.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

/// The synthetic data of the EMA Workbench comparison: n rows, x1..x5 ~
/// U(0, 1), c uniform on {a, b, c}, y = [x1 > 0.7 ∧ x2 < 0.3] with each
/// label flipped with probability 0.05.
fn synthetic(n: usize, seed: u64) -> Table {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut x: Vec<Vec<f64>> = (0..5).map(|_| Vec::with_capacity(n)).collect();
    let mut codes = Vec::with_capacity(n);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        for column in x.iter_mut() {
            column.push(rng.random::<f64>());
        }
        codes.push(rng.random_range(0..3u32));
        let inside = x[0][x[0].len() - 1] > 0.7 && x[1][x[1].len() - 1] < 0.3;
        let flip = rng.random::<f64>() < 0.05;
        y.push(inside != flip);
    }
    let mut table = Table::new(y).expect("rows");
    for (j, column) in x.into_iter().enumerate() {
        table = table
            .with_numeric(format!("x{}", j + 1), column)
            .expect("finite");
    }
    let categories = ["a", "b", "c"].map(String::from).to_vec();
    table
        .with_categorical("c", categories, codes)
        .expect("codes")
}

fn numeric(bounds: &Bounds) -> (f64, f64) {
    match bounds {
        Bounds::Numeric { low, high } => (*low, *high),
        Bounds::Categorical { .. } => panic!("expected numeric bounds"),
    }
}

#[test]
fn finds_the_known_box_in_synthetic_data() {
    let options = PrimOptions {
        threshold: 0.9,
        ..PrimOptions::default()
    };
    for seed in [1, 2, 3, 4, 5, 6] {
        let table = synthetic(5000, seed);
        let boxes = discover(&table, options).expect("valid");
        assert_eq!(boxes.len(), 1);
        let chosen = boxes[0].inspection().expect("a box of density ≥ 0.9");
        let bound = |name: &str| {
            let r = chosen.restrictions.iter().find(|r| r.name == name);
            numeric(
                &r.unwrap_or_else(|| panic!("seed {seed}: {name} not restricted"))
                    .bounds,
            )
        };
        let (x1_low, _) = bound("x1");
        let (_, x2_high) = bound("x2");
        assert!(
            (0.65..=0.75).contains(&x1_low),
            "seed {seed}: x1 ≥ {x1_low}"
        );
        assert!(
            (0.25..=0.35).contains(&x2_high),
            "seed {seed}: x2 ≤ {x2_high}"
        );
        assert_eq!(chosen.significant_dims(), ["x1", "x2"], "seed {seed}");
        assert!(
            chosen.coverage >= 0.55,
            "seed {seed}: coverage {}",
            chosen.coverage
        );
        assert!(
            chosen.density >= 0.88,
            "seed {seed}: density {}",
            chosen.density
        );
    }
}

#[test]
fn trajectory_statistics_agree_with_a_recount() {
    let table = synthetic(2000, 9);
    let mut prim = Prim::new(&table, PrimOptions::default()).expect("valid");
    let found = prim.find_box().expect("a box");
    let trajectory = found.trajectory();
    assert!(trajectory.len() > 10);
    let total_cases = table.outcome().iter().filter(|y| **y).count();
    assert_eq!(trajectory[0].n, 2000);
    assert_eq!(trajectory[0].res_dim, 0);
    assert_eq!(trajectory[0].coverage, 1.0);
    for (i, step) in trajectory.iter().enumerate() {
        assert_eq!(step.id, i);
        assert_eq!(step.res_dim, step.restrictions.len());
        assert!(step.mass >= 0.05);
        // Recount the box from its reported bounds.
        let mut n = 0;
        let mut k = 0;
        for row in 0..table.len() {
            let inside = step.restrictions.iter().all(|r| match &r.bounds {
                Bounds::Numeric { low, high } => {
                    let x = match &table.columns()[r.dim] {
                        super::table::Column::Numeric(x) => x[row],
                        super::table::Column::Categorical { .. } => f64::NAN,
                    };
                    *low <= x && x <= *high
                }
                Bounds::Categorical { allowed } => match &table.columns()[r.dim] {
                    super::table::Column::Categorical { categories, codes } => {
                        allowed.contains(&categories[codes[row] as usize])
                    }
                    super::table::Column::Numeric(_) => false,
                },
            });
            if inside {
                n += 1;
                k += usize::from(table.outcome()[row]);
            }
        }
        assert_eq!((step.n, step.k), (n, k), "step {i}");
        assert_eq!(step.coverage, k as f64 / total_cases as f64);
        assert_eq!(step.density, k as f64 / n as f64);
    }
    // Peeling never grows the box and raises the density overall.
    let last = &trajectory[trajectory.len() - 1];
    assert!(last.density > trajectory[0].density);
    // The default choice is the best coverage among dense enough steps.
    let chosen = found.selected().expect("a dense step");
    for step in trajectory {
        if step.density >= 0.8 {
            assert!(step.coverage <= trajectory[chosen].coverage);
        }
    }
}

#[test]
fn categorical_inputs_are_peeled_as_sets() {
    // y = 1 mostly when c ∈ {b, d}; x is noise.
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let n = 3000;
    let names = ["a", "b", "c", "d"];
    let codes: Vec<u32> = (0..n).map(|_| rng.random_range(0..4u32)).collect();
    let labels: Vec<&str> = codes.iter().map(|c| names[*c as usize]).collect();
    let x: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    let y: Vec<bool> = labels
        .iter()
        .map(|l| {
            let p = if *l == "b" || *l == "d" { 0.9 } else { 0.05 };
            rng.random::<f64>() < p
        })
        .collect();
    let table = Table::new(y)
        .and_then(|t| t.with_numeric("x", x))
        .and_then(|t| t.with_categorical("c", names.map(String::from).to_vec(), codes))
        .expect("valid");
    let boxes = discover(&table, PrimOptions::default()).expect("valid");
    let chosen = boxes[0].inspection().expect("a dense box");
    let c = chosen
        .restrictions
        .iter()
        .find(|r| r.name == "c")
        .expect("c restricted");
    assert_eq!(
        c.bounds,
        Bounds::Categorical {
            allowed: vec!["b".into(), "d".into()]
        }
    );
    assert!(c.significant);
    assert_eq!(c.qp_low, c.qp_high);
    assert!(c.qp_low.is_some_and(|p| p < 1e-10));
    assert!(chosen.coverage > 0.9);
}

#[test]
fn successive_boxes_remove_the_rows_of_earlier_ones() {
    // Two separate regions of cases: x1 > 0.85, and x2 > 0.85 elsewhere.
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let n = 4000;
    let x1: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    let x2: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
    let y: Vec<bool> = x1
        .iter()
        .zip(&x2)
        .map(|(a, b)| *a > 0.85 || *b > 0.85)
        .collect();
    let table = Table::new(y)
        .and_then(|t| t.with_numeric("x1", x1))
        .and_then(|t| t.with_numeric("x2", x2))
        .expect("valid");
    let options = PrimOptions {
        max_boxes: 3,
        threshold: 0.95,
        ..PrimOptions::default()
    };
    let boxes = discover(&table, options).expect("valid");
    assert!(boxes.len() >= 2);
    let first = boxes[0].inspection().expect("dense");
    let second = boxes[1].inspection().expect("dense");
    let dims = |b: &BoxInspection| -> Vec<String> {
        b.significant_dims().iter().map(|d| d.to_string()).collect()
    };
    let mut both = [dims(first), dims(second)];
    both.sort();
    assert_eq!(both, [vec!["x1".to_string()], vec!["x2".to_string()]]);
    for b in [first, second] {
        assert!(b.density >= 0.95, "density {}", b.density);
        let dim = b.restrictions.iter().find(|r| r.significant).expect("one");
        let (low, _) = numeric(&dim.bounds);
        assert!((0.8..0.9).contains(&low), "low {low}");
    }
    assert_eq!(boxes[1].rows_available(), table.len() - first.n);
    // Coverage is of all cases, so the two boxes share it.
    assert!(first.coverage + second.coverage <= 1.0);
    assert!(first.coverage + second.coverage > 0.9);
}

#[test]
fn another_step_can_be_selected_and_inspected() {
    let table = synthetic(1000, 3);
    let mut prim = Prim::new(&table, PrimOptions::default()).expect("valid");
    assert_eq!(prim.select(0).err(), Some(PrimError::NoBox));
    let len = prim.find_box().expect("a box").trajectory().len();
    assert_eq!(
        prim.select(len).err(),
        Some(PrimError::StepOutOfRange { step: len, len })
    );
    let chosen = prim.select(2).expect("in range");
    assert_eq!(chosen.selected(), Some(2));
    assert_eq!(chosen.inspection().map(|i| i.step), Some(2));
    let again = prim.inspect_step(0, 2).expect("in range");
    assert_eq!(Some(&again), prim.boxes()[0].inspection());
    // The starting box restricts nothing.
    assert!(
        prim.inspect_step(0, 0)
            .expect("in range")
            .restrictions
            .is_empty()
    );
    let json = serde_json::to_string(&prim.boxes()[0]).expect("serializable");
    assert!(json.contains("\"trajectory\""));
    assert!(json.contains("\"kind\":\"numeric\""));
}

#[test]
fn no_dense_box_stops_the_search() {
    // Cases scattered at random: no box reaches density 0.8.
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let x: Vec<f64> = (0..500).map(|_| rng.random::<f64>()).collect();
    let y: Vec<bool> = (0..500).map(|_| rng.random::<f64>() < 0.2).collect();
    let table = Table::new(y)
        .and_then(|t| t.with_numeric("x", x))
        .expect("valid");
    let options = PrimOptions {
        max_boxes: 3,
        ..PrimOptions::default()
    };
    let boxes = discover(&table, options).expect("valid");
    assert_eq!(boxes.len(), 1);
    assert_eq!(boxes[0].selected(), None);
    let mut prim = Prim::new(&table, options).expect("valid");
    prim.find_box().expect("a trajectory");
    assert_eq!(prim.find_box().err(), Some(PrimError::NoSelection));
}

#[test]
fn bad_tables_and_options_are_typed_errors() {
    assert_eq!(Table::new(vec![]).err(), Some(PrimError::EmptyTable));
    let t = || Table::new(vec![true, false, true]).expect("rows");
    assert!(matches!(
        t().with_numeric("x", vec![1.0, 2.0]),
        Err(PrimError::LengthMismatch {
            expected: 3,
            found: 2,
            ..
        })
    ));
    assert!(matches!(
        t().with_numeric("x", vec![1.0, f64::NAN, 2.0]),
        Err(PrimError::NonFinite { row: 1, .. })
    ));
    assert_eq!(
        t().with_numeric("x", vec![1.0; 3])
            .and_then(|t| t.with_numeric("x", vec![1.0; 3]))
            .err(),
        Some(PrimError::DuplicateColumn("x".into()))
    );
    assert!(matches!(
        t().with_categorical("c", vec!["a".into()], vec![0, 1, 0]),
        Err(PrimError::CodeOutOfRange {
            row: 1,
            code: 1,
            ..
        })
    ));
    assert_eq!(
        t().with_categorical("c", vec!["a".into(), "a".into()], vec![0, 1, 0])
            .err(),
        Some(PrimError::BadCategories("c".into()))
    );
    let empty = t();
    assert_eq!(
        Prim::new(&empty, PrimOptions::default()).err(),
        Some(PrimError::NoColumns)
    );
    let constant = Table::new(vec![false; 3])
        .and_then(|t| t.with_numeric("x", vec![1.0, 2.0, 3.0]))
        .expect("valid");
    assert_eq!(
        Prim::new(&constant, PrimOptions::default()).err(),
        Some(PrimError::ConstantOutcome(0))
    );
    let table = t().with_numeric("x", vec![1.0, 2.0, 3.0]).expect("valid");
    for options in [
        PrimOptions {
            peel_alpha: 0.0,
            ..PrimOptions::default()
        },
        PrimOptions {
            paste_alpha: 0.7,
            ..PrimOptions::default()
        },
        PrimOptions {
            mass_min: 1.0,
            ..PrimOptions::default()
        },
        PrimOptions {
            threshold: f64::NAN,
            ..PrimOptions::default()
        },
        PrimOptions {
            significance: 0.0,
            ..PrimOptions::default()
        },
    ] {
        assert!(matches!(
            Prim::new(&table, options).err(),
            Some(PrimError::InvalidOption { .. })
        ));
    }
}

#[test]
fn reproduces_the_ema_workbench_trajectory() {
    // The EMA Workbench 2.5.3 (`Prim(x, y, threshold=0.9)`, defaults
    // otherwise, `c` as a pandas categorical) on this exact table: 63 steps,
    // the last box below, and at step 46 these quasi-p values (SciPy's
    // `binomtest`). Every step's coverage and density agreed to 1e-12.
    let table = synthetic(5000, 1);
    let options = PrimOptions {
        threshold: 0.9,
        ..PrimOptions::default()
    };
    let mut prim = Prim::new(&table, options).expect("valid");
    let found = prim.find_box().expect("a box");
    assert_eq!(found.trajectory().len(), 63);
    assert_eq!(found.selected(), Some(46));
    let last = &found.trajectory()[62];
    let bounds: Vec<(&str, (f64, f64))> = last
        .restrictions
        .iter()
        .map(|r| (r.name.as_str(), numeric(&r.bounds)))
        .collect();
    assert_eq!(
        bounds,
        [
            ("x1", (0.712_771_113_560_406_8, 0.999_793_302_288_598)),
            (
                "x2",
                (0.000_367_349_683_195_294_93, 0.287_982_362_584_996_15)
            ),
            ("x3", (0.055_271_260_869_724_115, 0.962_907_412_464_857_4)),
            (
                "x4",
                (0.000_192_561_798_587_731_48, 0.976_310_957_548_003_1)
            ),
        ]
    );
    let inspection = found.inspection().expect("selected");
    let qp: Vec<(Option<f64>, Option<f64>)> = inspection
        .restrictions
        .iter()
        .map(|r| (r.qp_low, r.qp_high))
        .collect();
    let close = |got: Option<f64>, want: f64| got.is_some_and(|g| (g - want).abs() < 1e-10 * want);
    assert_eq!(qp.len(), 2);
    assert!(close(qp[0].0, 1.195_883_084_929_187_5e-158) && qp[0].1.is_none());
    assert!(qp[1].0.is_none() && close(qp[1].1, 8.380_364_953_886_261e-164));
}
