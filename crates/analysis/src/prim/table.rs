//! The table PRIM works on: numeric and categorical input columns over the
//! same rows, and a 0/1 outcome per row.

use super::PrimError;

/// Values of one input column.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Column {
    /// Finite numbers.
    Numeric(Vec<f64>),
    /// Codes into `categories`, which PRIM treats as an unordered set.
    Categorical {
        categories: Vec<String>,
        codes: Vec<u32>,
    },
}

/// Inputs and a 0/1 outcome, one row per run; built column by column.
///
/// # Example
/// ```
/// use wedge_analysis::Table;
/// let table = Table::new(vec![true, false, false])?
///     .with_numeric("intensity", vec![0.9, 0.2, 0.4])?
///     .with_labels("defector", &["russia", "china", "russia"])?;
/// assert_eq!(table.len(), 3);
/// assert_eq!(table.column_names(), ["intensity", "defector"]);
/// # Ok::<(), wedge_analysis::PrimError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    names: Vec<String>,
    columns: Vec<Column>,
    outcome: Vec<bool>,
}

impl Table {
    /// A table with this outcome (1 = case of interest) and no inputs yet.
    pub fn new(outcome: Vec<bool>) -> Result<Self, PrimError> {
        if outcome.is_empty() {
            return Err(PrimError::EmptyTable);
        }
        Ok(Table {
            names: Vec::new(),
            columns: Vec::new(),
            outcome,
        })
    }

    /// Add a numeric column of finite values.
    pub fn with_numeric(
        mut self,
        name: impl Into<String>,
        values: Vec<f64>,
    ) -> Result<Self, PrimError> {
        let name = self.check(name.into(), values.len())?;
        if let Some(row) = values.iter().position(|v| !v.is_finite()) {
            return Err(PrimError::NonFinite { column: name, row });
        }
        self.names.push(name);
        self.columns.push(Column::Numeric(values));
        Ok(self)
    }

    /// Add a categorical column: distinct `categories` and one code (index
    /// into them) per row. Categories keep their order in results.
    pub fn with_categorical(
        mut self,
        name: impl Into<String>,
        categories: Vec<String>,
        codes: Vec<u32>,
    ) -> Result<Self, PrimError> {
        let name = self.check(name.into(), codes.len())?;
        let distinct = categories
            .iter()
            .enumerate()
            .all(|(i, c)| !categories[..i].contains(c));
        if categories.is_empty() || !distinct {
            return Err(PrimError::BadCategories(name));
        }
        if let Some((row, &code)) = codes
            .iter()
            .enumerate()
            .find(|(_, c)| **c as usize >= categories.len())
        {
            return Err(PrimError::CodeOutOfRange {
                column: name,
                row,
                code,
                categories: categories.len(),
            });
        }
        self.names.push(name);
        self.columns.push(Column::Categorical { categories, codes });
        Ok(self)
    }

    /// Add a categorical column from one label per row; categories are
    /// numbered in order of first appearance.
    pub fn with_labels<S: AsRef<str>>(
        self,
        name: impl Into<String>,
        labels: &[S],
    ) -> Result<Self, PrimError> {
        let mut categories: Vec<String> = Vec::new();
        let mut codes = Vec::with_capacity(labels.len());
        for label in labels {
            let label = label.as_ref();
            let code = match categories.iter().position(|c| c == label) {
                Some(code) => code,
                None => {
                    categories.push(label.to_owned());
                    categories.len() - 1
                }
            };
            codes.push(code as u32);
        }
        self.with_categorical(name, categories, codes)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.outcome.len()
    }

    /// Whether the table has no rows (never true: construction refuses it).
    pub fn is_empty(&self) -> bool {
        self.outcome.is_empty()
    }

    /// Column names in order.
    pub fn column_names(&self) -> &[String] {
        &self.names
    }

    /// The outcome column.
    pub fn outcome(&self) -> &[bool] {
        &self.outcome
    }

    pub(crate) fn columns(&self) -> &[Column] {
        &self.columns
    }

    fn check(&self, name: String, len: usize) -> Result<String, PrimError> {
        if self.names.contains(&name) {
            return Err(PrimError::DuplicateColumn(name));
        }
        if len != self.outcome.len() {
            return Err(PrimError::LengthMismatch {
                column: name,
                expected: self.outcome.len(),
                found: len,
            });
        }
        Ok(name)
    }
}
