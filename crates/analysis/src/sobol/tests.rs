//! Tests of the design, the estimators and the helpers, on functions whose
//! indices are known analytically.

use std::f64::consts::PI;

use super::*;

/// Ishigami: f = sin x1 + 7 sin²x2 + 0.1 x3⁴ sin x1, x ~ U(−π, π)³.
fn ishigami(u: &[f64]) -> f64 {
    let x: Vec<f64> = u.iter().map(|&u| uniform(u, -PI, PI)).collect();
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

const ISHIGAMI_S1: [f64; 3] = [0.3139, 0.4424, 0.0];
const ISHIGAMI_ST: [f64; 3] = [0.5576, 0.4424, 0.2437];

fn analyse(n: usize, options: DesignOptions) -> SobolIndices {
    let design = SaltelliDesign::new(n, 3, options).expect("valid design");
    let outputs: Vec<f64> = design.rows().map(|u| ishigami(&u)).collect();
    sobol_indices(design.layout(), &outputs, SobolOptions::default()).expect("valid outputs")
}

fn worst_error(indices: &SobolIndices) -> f64 {
    let mut worst: f64 = 0.0;
    for j in 0..3 {
        worst = worst.max((indices.first_order[j].value - ISHIGAMI_S1[j]).abs());
        worst = worst.max((indices.total_order[j].value - ISHIGAMI_ST[j]).abs());
    }
    worst
}

#[test]
fn ishigami_first_and_total_order_match_the_analytic_values() {
    for seed in [0, 1, 2, 3, 4] {
        let options = DesignOptions {
            seed,
            ..DesignOptions::default()
        };
        let indices = analyse(4096, options);
        let worst = worst_error(&indices);
        assert!(worst < 0.03, "seed {seed}: worst error {worst}");
        assert!(
            (indices.variance - 13.845).abs() < 0.4,
            "V = {}",
            indices.variance
        );
        for e in indices.first_order.iter().chain(&indices.total_order) {
            let conf = e.conf.expect("bootstrap on");
            assert!(conf > 0.0 && conf < 0.1, "interval half-width {conf}");
        }
    }
}

#[test]
fn ishigami_second_order_finds_the_x1_x3_interaction() {
    let options = DesignOptions {
        second_order: true,
        seed: 7,
        ..DesignOptions::default()
    };
    let indices = analyse(4096, options);
    assert!(worst_error(&indices) < 0.03);
    let pairs: Vec<(usize, usize, f64)> = indices
        .second_order
        .iter()
        .map(|p| (p.j, p.k, p.estimate.value))
        .collect();
    assert_eq!(pairs.len(), 3);
    let expected = [(0, 1, 0.0), (0, 2, 0.2437), (1, 2, 0.0)];
    for ((j, k, value), (ej, ek, truth)) in pairs.iter().zip(expected) {
        assert_eq!((*j, *k), (ej, ek));
        assert!((value - truth).abs() < 0.06, "S{j}{k} = {value}");
    }
}

#[test]
fn pseudo_random_uniforms_also_converge() {
    let options = DesignOptions {
        sampler: Sampler::PseudoRandom,
        seed: 3,
        ..DesignOptions::default()
    };
    let indices = analyse(16384, options);
    assert!(worst_error(&indices) < 0.05);
}

#[test]
fn linear_model_indices_are_the_squared_weight_shares() {
    // y = Σ c_j x_j, x_j ~ U(0, 1): S_j = S_Tj = c_j² / Σ c².
    let c = [1.0, 2.0, 3.0, 0.0];
    let design = SaltelliDesign::new(2048, 4, DesignOptions::default()).expect("valid");
    let outputs: Vec<f64> = design
        .rows()
        .map(|u| u.iter().zip(c).map(|(u, c)| u * c).sum())
        .collect();
    let indices = sobol_indices(design.layout(), &outputs, SobolOptions::default()).expect("valid");
    let total: f64 = c.iter().map(|c| c * c).sum();
    for (j, c) in c.iter().enumerate() {
        let truth = c * c / total;
        assert!((indices.first_order[j].value - truth).abs() < 0.02);
        assert!((indices.total_order[j].value - truth).abs() < 0.02);
    }
    // A dead input's total order is exactly zero: its column never changes the output.
    assert_eq!(indices.total_order[3].value, 0.0);
}

#[test]
fn rows_follow_salib_layout() {
    let options = DesignOptions {
        second_order: true,
        seed: 11,
        ..DesignOptions::default()
    };
    let design = SaltelliDesign::new(4, 3, options).expect("valid");
    assert_eq!(design.layout().rows_per_base(), 8);
    assert_eq!(design.n_rows(), 32);
    let rows: Vec<Vec<f64>> = design.rows().collect();
    assert_eq!(rows.len(), 32);
    for i in 0..4 {
        let point = design.base_point(i);
        let (a, b) = point.split_at(3);
        let block = &rows[i * 8..(i + 1) * 8];
        assert_eq!(block[0], a);
        assert_eq!(block[7], b);
        for j in 0..3 {
            let mut ab = a.to_vec();
            ab[j] = b[j];
            assert_eq!(block[1 + j], ab);
            let mut ba = b.to_vec();
            ba[j] = a[j];
            assert_eq!(block[4 + j], ba);
        }
        assert_ne!(a, b);
    }
    for (r, row) in rows.iter().enumerate() {
        assert_eq!(design.row(r).as_ref(), Some(row));
        assert!(row.iter().all(|u| (0.0..1.0).contains(u)));
    }
    assert_eq!(design.row(32), None);
}

#[test]
fn designs_are_pure_functions_of_their_seed() {
    for sampler in [Sampler::Sobol, Sampler::PseudoRandom] {
        let make = |seed| {
            let options = DesignOptions {
                seed,
                sampler,
                ..DesignOptions::default()
            };
            let design = SaltelliDesign::new(16, 2, options).expect("valid");
            design.rows().collect::<Vec<_>>()
        };
        assert_eq!(make(5), make(5));
        assert_ne!(make(5), make(6));
    }
}

#[test]
fn sobol_base_points_are_stratified() {
    // Each column of a scrambled Sobol' sequence puts exactly one of 2^m
    // points in each interval [k/2^m, (k+1)/2^m).
    let design = SaltelliDesign::new(64, 3, DesignOptions::default()).expect("valid");
    for column in 0..6 {
        let mut seen = [false; 64];
        for i in 0..64 {
            let u = design.base_point(i)[column];
            seen[(u * 64.0) as usize] = true;
        }
        assert!(seen.iter().all(|s| *s), "column {column}");
    }
}

#[test]
fn large_designs_fall_back_to_pseudo_random() {
    let design = SaltelliDesign::new(4, 200, DesignOptions::default()).expect("valid");
    assert_eq!(design.sampler(), Sampler::PseudoRandom);
    let small = SaltelliDesign::new(4, 2, DesignOptions::default()).expect("valid");
    assert_eq!(small.sampler(), Sampler::Sobol);
    let forced = DesignOptions {
        sampler: Sampler::Sobol,
        ..DesignOptions::default()
    };
    assert!(matches!(
        SaltelliDesign::new(4, 200, forced),
        Err(SobolError::SobolLimits { columns: 400, .. })
    ));
    assert!(matches!(
        SaltelliDesign::new(1 << 17, 1, forced),
        Err(SobolError::SobolLimits { .. })
    ));
}

#[test]
fn bad_inputs_are_typed_errors() {
    let o = DesignOptions::default();
    assert_eq!(
        SaltelliDesign::new(100, 2, o),
        Err(SobolError::BaseNotPowerOfTwo(100))
    );
    assert_eq!(
        SaltelliDesign::new(1, 2, o),
        Err(SobolError::BaseNotPowerOfTwo(1))
    );
    assert_eq!(SaltelliDesign::new(8, 0, o), Err(SobolError::NoInputs));
    let layout = SaltelliDesign::new(8, 2, o).expect("valid").layout();
    let s = SobolOptions::default();
    assert_eq!(
        sobol_indices(layout, &[1.0; 31], s),
        Err(SobolError::OutputLength {
            expected: 32,
            found: 31
        })
    );
    assert_eq!(
        sobol_indices(layout, &[1.0; 32], s),
        Err(SobolError::ConstantOutput)
    );
    let mut outputs: Vec<f64> = (0..32).map(f64::from).collect();
    outputs[5] = f64::NAN;
    assert!(matches!(
        sobol_indices(layout, &outputs, s),
        Err(SobolError::NonFiniteOutput { row: 5, .. })
    ));
    let one = SobolOptions {
        resamples: 1,
        seed: 0,
    };
    let fine: Vec<f64> = (0..32).map(f64::from).collect();
    assert_eq!(
        sobol_indices(layout, &fine, one),
        Err(SobolError::SingleResample)
    );
    let none = SobolOptions {
        resamples: 0,
        seed: 0,
    };
    let indices = sobol_indices(layout, &fine, none).expect("valid");
    assert!(indices.first_order.iter().all(|e| e.conf.is_none()));
}

#[test]
fn bootstrap_is_seeded_and_point_estimates_do_not_depend_on_it() {
    let design = SaltelliDesign::new(256, 3, DesignOptions::default()).expect("valid");
    let outputs: Vec<f64> = design.rows().map(|u| ishigami(&u)).collect();
    let with = |seed| {
        sobol_indices(
            design.layout(),
            &outputs,
            SobolOptions {
                resamples: 50,
                seed,
            },
        )
        .expect("valid")
    };
    assert_eq!(with(1), with(1));
    let (a, b) = (with(1), with(2));
    assert_ne!(a.first_order[0].conf, b.first_order[0].conf);
    assert_eq!(a.first_order[0].value, b.first_order[0].value);
}

#[test]
fn normal_quantile_matches_known_values() {
    // Values of scipy.stats.norm.ppf.
    let cases = [
        (0.5, 0.0),
        (0.975, 1.959_963_984_540_054),
        (0.025, -1.959_963_984_540_054),
        (0.841_344_746_068_542_9, 1.0),
        (1e-10, -6.361_340_902_404_056),
        (0.999_999, 4.753_424_308_817_087),
        (1e-300, -37.047_096_299_361_2),
    ];
    for (p, z) in cases {
        let got = normal_quantile(p);
        assert!(
            (got - z).abs() < 1e-12 * z.abs().max(1.0),
            "Φ⁻¹({p}) = {got}, want {z}"
        );
    }
    assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
    assert!(normal_quantile(1.5).is_nan());
    assert!(normal(0.0, 1.0, 2.0).is_finite());
    assert!(normal(1.0, 1.0, 2.0).is_finite());
    assert_eq!(normal(0.5, 3.0, 2.0), 3.0);
}

#[test]
fn helpers_map_uniforms_onto_their_ranges() {
    assert_eq!(uniform(0.25, 2.0, 6.0), 3.0);
    assert_eq!(choice(0.0, 3), 0);
    assert_eq!(choice(0.34, 3), 1);
    assert_eq!(choice(0.999_999, 3), 2);
    assert_eq!(choice(1.0, 3), 2);
    assert_eq!(choice(0.5, 0), 0);
    assert_eq!(weighted_choice(0.1, &[1.0, 3.0]), Some(0));
    assert_eq!(weighted_choice(0.3, &[1.0, 3.0]), Some(1));
    assert_eq!(weighted_choice(0.3, &[0.0, 0.0]), None);
    assert_eq!(weighted_choice(0.9, &[2.0, 0.0]), Some(0));
    // Triangular: the CDF at the mode is (mode − low)/(high − low).
    assert!((triangular(0.25, 0.0, 1.0, 4.0) - 1.0).abs() < 1e-12);
    assert_eq!(triangular(0.0, 0.0, 1.0, 4.0), 0.0);
    assert!((triangular(1.0, 0.0, 1.0, 4.0) - 4.0).abs() < 1e-12);
}

#[test]
fn noise_share_of_replicates_is_noise_over_spread() {
    // Rows with means 0, 1, 2, 3 (V = 1.25) and replicates ±1 around them:
    // each row's sample variance is 4/3 with K = 4, so σ² = 1/3.
    let mut values = Vec::new();
    for m in [0.0, 1.0, 2.0, 3.0] {
        values.extend([m - 1.0, m + 1.0, m - 1.0, m + 1.0]);
    }
    let share = noise_share(&values, 4).expect("valid");
    assert!((share.noise_variance - 1.0 / 3.0).abs() < 1e-12);
    assert!((share.total_variance - 1.25).abs() < 1e-12);
    assert!((share.share - (1.0 / 3.0) / 1.25).abs() < 1e-12);

    let binary = noise_share_binary(&[0.5, 0.5, 0.0, 1.0], 33).expect("valid");
    assert!((binary.noise_variance - 0.5 * 0.25 / 32.0).abs() < 1e-15);
    assert!((binary.total_variance - 0.125).abs() < 1e-15);

    assert!(noise_share(&values, 3).is_err());
    assert!(noise_share(&values, 1).is_err());
    assert_eq!(
        noise_share_binary(&[0.5, 1.5], 10),
        Err(SobolError::Proportion { row: 1, value: 1.5 })
    );
}

#[test]
fn design_values_are_stable() {
    // Pinned: a change here changes every design a user has run.
    let design = SaltelliDesign::new(4, 2, DesignOptions::default()).expect("valid");
    assert_eq!(
        design.base_point(1),
        [
            0.971_313_714_981_079_1,
            0.460_598_587_989_807_13,
            0.075_477_361_679_077_15,
            0.074_157_357_215_881_35
        ]
    );
    let pseudo = DesignOptions {
        sampler: Sampler::PseudoRandom,
        ..DesignOptions::default()
    };
    let design = SaltelliDesign::new(4, 2, pseudo).expect("valid");
    assert_eq!(
        design.base_point(1),
        [
            0.755_531_016_687_046,
            0.738_116_764_099_080_9,
            0.589_997_211_691_517_2,
            0.911_551_336_077_610_7
        ]
    );
}
