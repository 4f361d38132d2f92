//! The values a sweep point sets, kept as one number per field path so that
//! sweep results are tidy: one JSON field, one CSV column per swept parameter;
//! and the check that a swept or set path is not one an uncertainty draws
//! (the draw would silently overwrite the value in every run).

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use wedge_core::{Distribution, Model, ParamId};

/// Swept values of one arm, by field path, in the order the parameters were
/// given. Serialized as a JSON object (`{"levers.x.intensity": 2.0}`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SweptValues(pub Vec<(String, f64)>);

impl SweptValues {
    /// Whether the arm sets no swept value (a comparison arm, not a sweep point).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of `path`, if swept.
    pub fn get(&self, path: &str) -> Option<f64> {
        self.0.iter().find(|(p, _)| p == path).map(|(_, v)| *v)
    }
}

impl Serialize for SweptValues {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (path, value) in &self.0 {
            map.serialize_entry(path, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for SweptValues {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = SweptValues;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of field paths to numbers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<SweptValues, A::Error> {
                let mut out = Vec::new();
                while let Some((path, value)) = access.next_entry::<String, f64>()? {
                    out.push((path, value));
                }
                Ok(SweptValues(out))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

/// A swept or set path that an uncertainty of the scenario draws in every run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{path}` is drawn by the uncertainty `{uncertainty}` in every run, so a value set or swept there would be overwritten; {instead}"
)]
pub struct DrawnPath {
    /// The path given.
    pub path: String,
    /// The uncertainty that draws it.
    pub uncertainty: String,
    /// What to set or sweep instead.
    pub instead: String,
}

/// Refuse to set or sweep `path` when an uncertainty of `model` draws it.
pub fn check_not_drawn(model: &Model, path: &str) -> Result<(), DrawnPath> {
    let Some(id) = ParamId::parse(path.trim()) else {
        return Ok(());
    };
    let Some(u) = model.spec().uncertainties.iter().find(|u| u.target == id) else {
        return Ok(());
    };
    let name = &u.name;
    let fields: &[&str] = match u.distribution {
        Distribution::Uniform { .. } => &["low", "high"],
        Distribution::Normal { .. } => &["mean", "sd"],
        Distribution::Triangular { .. } => &["low", "mode", "high"],
        Distribution::Choice(_) => &[],
    };
    let instead = if fields.is_empty() {
        format!(
            "its distribution is a Choice, which cannot be swept by path: remove `{name}` (or give it a single value) in a scenario that extends this one"
        )
    } else {
        let list = fields
            .iter()
            .map(|f| format!("`uncertainties.{name}.{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "sweep its distribution instead ({list}), or remove the uncertainty in a scenario that extends this one"
        )
    };
    Err(DrawnPath {
        path: path.trim().to_string(),
        uncertainty: name.clone(),
        instead,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawn_path_is_refused_with_the_fields_to_sweep_instead() {
        let mut spec = Model::reference_2021().spec().clone();
        spec.uncertainties.push(wedge_core::Uncertainty {
            name: "threat".into(),
            target: ParamId::parse("params.threat_weight").expect("a coefficient"),
            distribution: Distribution::Uniform {
                low: 0.6,
                high: 1.0,
            },
        });
        let model = Model::new(spec).expect("valid");
        let e = check_not_drawn(&model, "params.threat_weight").expect_err("drawn");
        assert_eq!(e.uncertainty, "threat");
        let text = e.to_string();
        assert!(
            text.contains("`uncertainties.threat.low`, `uncertainties.threat.high`"),
            "{text}"
        );
        assert!(check_not_drawn(&model, "params.ideology_weight").is_ok());
        assert!(check_not_drawn(&model, "levers.x.intensity").is_ok());
    }

    #[test]
    fn keeps_the_parameters_order_through_json() {
        let v = SweptValues(vec![("params.b".into(), 2.0), ("params.a".into(), 0.5)]);
        let text = serde_json::to_string(&v).expect("serializes");
        assert_eq!(text, r#"{"params.b":2.0,"params.a":0.5}"#);
        let back: SweptValues = serde_json::from_str(&text).expect("deserializes");
        assert_eq!(back, v);
        assert_eq!(back.get("params.a"), Some(0.5));
        assert_eq!(back.get("params.c"), None);
    }
}
