//! Quick calibration statistics for the reference model.
use wedge_core::*;
struct Obs { align: Vec<f64>, sanc: Vec<f64>, res: Vec<f64>, tens: Vec<f64>, agg: Vec<f64>, choices: Vec<[u32;8]> }
impl Observer for Obs { fn turn(&mut self, r: &TurnRecord<'_>) { let t=r.turn as usize; self.align[t]+=r.state.alignment; self.sanc[t]+=r.state.russia.sanctions; self.res[t]+=r.state.russia.resentment; self.tens[t]+=r.state.russia.west_tension; self.agg[t]+=r.state.russia.aggression; for (k,c) in r.choices.iter().enumerate(){ self.choices[k][*c]+=1; } } }
fn main() {
    let mut spec = wedge_core::reference::spec_2021();
    if let Ok(v) = std::env::var("TH") { spec.split.threshold = v.parse().unwrap(); }
    if let Ok(v) = std::env::var("BIAS") { spec.params.willingness_bias = v.parse().unwrap(); }
    let m = Model::new(spec).unwrap();
    let n = 4000;
    let mut o = Obs{align:vec![0.0;40],sanc:vec![0.0;40],res:vec![0.0;40],tens:vec![0.0;40],agg:vec![0.0;40],choices:vec![[0;8];m.layout().len()]};
    let mut splits=0; let mut ru=0; let mut lc=0; let mut after=0;
    for i in 0..n { let s = simulate(&m, 1, i, &mut o); if let Some(t)=s.split_turn { splits+=1; if s.defector==Some(Partner::Russia){ru+=1;} if let Some(c)=s.russia_leader_change { if c<=t {after+=1;} } } if s.russia_leader_change.is_some(){lc+=1;} }
    println!("split {:.3} russia-defects {} leaderchange {:.3} split-after-change {}", splits as f64/n as f64, ru, lc as f64/n as f64, after);
    for t in (0..40).step_by(4) { println!("t{t:2} align {:.3} sanc {:.3} res {:.3} tens {:.3} agg {:.3}", o.align[t]/n as f64, o.sanc[t]/n as f64, o.res[t]/n as f64, o.tens[t]/n as f64, o.agg[t]/n as f64); }
    for (k,s) in m.decision_slots().iter().enumerate() { println!("{:?} {} {:?} {:?}", s.actor, s.decision, s.options, &o.choices[k][..s.options.len()]); }
}
