//! The per-run table as Parquet (feature `parquet`).
//!
//! The same columns, in the same order, with the same values as the CSV
//! ([`crate::RunsCsv`]), written with the Apache Arrow `ArrowWriter`: one
//! record batch and one row group per chunk of runs the runner hands over, so
//! memory does not grow with the number of runs. Numbers are 64-bit floats
//! (`run` and `seed` unsigned 64-bit integers, `split` an unsigned byte); a
//! missing value (an empty CSV cell) is null. The categorical columns
//! (`scenario`, `arm`, `defector`) are dictionary columns, which pandas reads
//! as `category`; their categories are fixed for the whole file, in
//! declaration order (arms in order, Russia before China), so the codes are
//! stable. What the CSV's `*.meta.json` sidecar holds goes into the file's
//! key-value metadata under [`META_KEY`], as the same JSON.

use std::io::Write;
use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, DictionaryArray, Float64Array, Int32Array, RecordBatch, StringArray, UInt8Array,
    UInt64Array,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use wedge_core::Partner;
use wedge_runner::{RunRow, RunTable};

use crate::RunsMeta;

/// Key of the file's key-value metadata that holds the table's metadata
/// (the JSON that the CSV writes to its `*.meta.json` sidecar).
pub const META_KEY: &str = "wedge.meta";

/// Why a Parquet table could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ParquetTableError {
    /// The Parquet writer failed (including the underlying I/O).
    #[error(transparent)]
    Parquet(#[from] ParquetError),
    /// A record batch could not be built.
    #[error(transparent)]
    Arrow(#[from] ArrowError),
    /// The metadata could not be serialised.
    #[error("metadata: {0}")]
    Meta(#[from] serde_json::Error),
}

/// Writes a per-run table as Parquet, chunk by chunk.
pub struct RunsParquet<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    /// Scenario names, distinct, in arm order (the `scenario` categories).
    scenarios: Arc<StringArray>,
    /// Each arm's code among `scenarios`.
    arm_scenario: Vec<i32>,
    /// Arm names, in order (the `arm` categories).
    arms: Arc<StringArray>,
    /// The `defector` categories.
    partners: Arc<StringArray>,
}

/// A dictionary column of UTF-8 categories with 32-bit codes.
fn categorical() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// A 32-bit dictionary code (the tables have a handful of arms).
fn code(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

impl<W: Write + Send> RunsParquet<W> {
    /// Start a table whose key-value metadata holds `meta`.
    pub fn new(
        out: W,
        table: &RunTable<'_>,
        meta: &RunsMeta,
    ) -> Result<RunsParquet<W>, ParquetTableError> {
        let columns = table.columns();
        let n_inputs =
            table.set_columns().len() + table.uncertainties().len() + table.levers().len();
        let mut fields = vec![
            Field::new(&columns[0], DataType::UInt64, false),
            Field::new(&columns[1], DataType::UInt64, false),
            Field::new(&columns[2], categorical(), false),
            Field::new(&columns[3], categorical(), false),
        ];
        let mut rest = columns[4..].iter();
        fields.extend(
            rest.by_ref()
                .take(n_inputs)
                .map(|c| Field::new(c, DataType::Float64, true)),
        );
        // Outcomes: split, years_to_split, split_year, defector, russia_leader_change_years,
        // china_leader_change_years, final_alignment, then the key variables at the horizon.
        for (i, c) in rest.enumerate() {
            fields.push(match i {
                0 => Field::new(c, DataType::UInt8, false),
                3 => Field::new(c, categorical(), true),
                _ => Field::new(c, DataType::Float64, true),
            });
        }
        let schema = Arc::new(Schema::new(fields));

        let mut scenarios: Vec<&str> = Vec::new();
        let mut arm_scenario = Vec::new();
        for arm in table.arms() {
            let name = arm.model.spec().name.as_str();
            let i = scenarios
                .iter()
                .position(|s| *s == name)
                .unwrap_or_else(|| {
                    scenarios.push(name);
                    scenarios.len() - 1
                });
            arm_scenario.push(code(i));
        }
        let arms = StringArray::from_iter_values(table.arms().iter().map(|a| a.name));
        let partners = StringArray::from_iter_values(Partner::BOTH.iter().map(|p| p.name()));

        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_key_value_metadata(Some(vec![KeyValue::new(
                META_KEY.to_string(),
                serde_json::to_string(meta)?,
            )]))
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(props))?;
        Ok(RunsParquet {
            writer,
            schema,
            scenarios: Arc::new(StringArray::from_iter_values(scenarios)),
            arm_scenario,
            arms: Arc::new(arms),
            partners: Arc::new(partners),
        })
    }

    /// Append rows: one record batch, written out as one row group.
    pub fn write(
        &mut self,
        table: &RunTable<'_>,
        rows: &[RunRow],
    ) -> Result<(), ParquetTableError> {
        if rows.is_empty() {
            return Ok(());
        }
        let dictionary = |codes: Vec<Option<i32>>, values: &Arc<StringArray>| {
            DictionaryArray::<Int32Type>::try_new(Int32Array::from(codes), values.clone())
                .map(|a| Arc::new(a) as ArrayRef)
        };
        let floats = |f: &dyn Fn(&RunRow) -> f64| -> ArrayRef {
            Arc::new(Float64Array::from_iter(rows.iter().map(|r| {
                let v = f(r);
                (!v.is_nan()).then_some(v)
            })))
        };
        let optional = |f: &dyn Fn(&RunRow) -> Option<f64>| floats(&|r| f(r).unwrap_or(f64::NAN));

        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| r.run))),
            Arc::new(UInt64Array::from_iter_values(
                rows.iter().map(|_| table.seed()),
            )),
            dictionary(
                rows.iter()
                    .map(|r| self.arm_scenario.get(r.arm).copied())
                    .collect(),
                &self.scenarios,
            )?,
            dictionary(rows.iter().map(|r| Some(code(r.arm))).collect(), &self.arms)?,
        ];
        for i in 0..table.set_columns().len() {
            columns.push(floats(&|r| {
                table.arms()[r.arm].set.get(i).copied().unwrap_or(f64::NAN)
            }));
        }
        for i in 0..table.uncertainties().len() {
            columns.push(floats(&|r| r.uncertainties[i]));
        }
        for i in 0..table.levers().len() {
            columns.push(floats(&|r| r.levers[i]));
        }
        columns.push(Arc::new(UInt8Array::from_iter_values(
            rows.iter().map(|r| u8::from(r.years_to_split.is_some())),
        )));
        columns.push(optional(&|r| r.years_to_split));
        columns.push(optional(&|r| r.split_year));
        columns.push(dictionary(
            rows.iter()
                .map(|r| r.defector.map(|p| code(p.index())))
                .collect(),
            &self.partners,
        )?);
        columns.push(optional(&|r| r.russia_leader_change_years));
        columns.push(optional(&|r| r.china_leader_change_years));
        columns.push(floats(&|r| r.final_alignment));
        let n_final = self.schema.fields().len() - columns.len();
        for i in 0..n_final {
            columns.push(floats(&|r| {
                r.final_state.get(i).copied().unwrap_or(f64::NAN)
            }));
        }
        let batch = RecordBatch::try_new(self.schema.clone(), columns)?;
        self.writer.write(&batch)?;
        self.writer.flush()?;
        Ok(())
    }

    /// Write the footer and hand back the writer.
    pub fn finish(self) -> Result<W, ParquetTableError> {
        Ok(self.writer.into_inner()?)
    }
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use arrow_array::{Array, cast::AsArray};
    use bytes::Bytes;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use wedge_core::Model;
    use wedge_runner::TableArm;

    use super::*;
    use crate::{RunsCsv, runs_meta};

    /// Chunks of uneven size, so the file has several row groups.
    const CHUNKS: [Range<u64>; 3] = [0..90, 90..250, 250..300];

    fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool")
            .install(f)
    }

    /// Two arms (same model, different `p.` values), 300 runs, as CSV and as Parquet.
    fn write_both(model: &Model) -> (Vec<u8>, Vec<u8>, String) {
        let table = RunTable::new(
            vec![
                TableArm {
                    name: "first",
                    model,
                    set: &[0.25],
                },
                TableArm {
                    name: "second",
                    model,
                    set: &[0.5],
                },
            ],
            vec!["params.example".to_string()],
            11,
        );
        let meta = runs_meta(&table, 0..300, 300, "abc", "wedge compare");
        let mut csv = RunsCsv::new(Vec::new(), &table).expect("csv");
        let mut pq = RunsParquet::new(Vec::new(), &table, &meta).expect("parquet");
        for chunk in CHUNKS {
            let rows = table.chunk(chunk);
            csv.write(&table, &rows).expect("csv rows");
            pq.write(&table, &rows).expect("parquet rows");
        }
        let json = serde_json::to_string(&meta).expect("meta");
        (
            csv.finish().expect("csv end"),
            pq.finish().expect("parquet end"),
            json,
        )
    }

    /// A cell as the CSV writes it.
    fn cell(column: &dyn Array, i: usize) -> String {
        if column.is_null(i) {
            return String::new();
        }
        match column.data_type() {
            DataType::Float64 => format!(
                "{}",
                column
                    .as_primitive::<arrow_array::types::Float64Type>()
                    .value(i)
            ),
            DataType::UInt64 => column
                .as_primitive::<arrow_array::types::UInt64Type>()
                .value(i)
                .to_string(),
            DataType::UInt8 => column
                .as_primitive::<arrow_array::types::UInt8Type>()
                .value(i)
                .to_string(),
            DataType::Dictionary(_, _) => {
                let d = column.as_dictionary::<Int32Type>();
                let k = usize::try_from(d.keys().value(i)).expect("code");
                d.values().as_string::<i32>().value(k).to_string()
            }
            other => panic!("unexpected column type {other}"),
        }
    }

    #[test]
    fn parquet_table_reads_back_as_the_csv_table_at_any_thread_count() {
        let model = Model::reference_2021();
        let (csv, pq, meta) = with_threads(1, || write_both(&model));
        let (csv2, pq2, _) = with_threads(2, || write_both(&model));
        assert_eq!(csv, csv2);
        assert!(pq == pq2, "Parquet bytes differ between 1 and 2 threads");

        let builder = ParquetRecordBatchReaderBuilder::try_new(Bytes::from(pq)).expect("reader");
        let file = builder.metadata().file_metadata();
        let stored = file
            .key_value_metadata()
            .and_then(|kv| kv.iter().find(|k| k.key == META_KEY))
            .and_then(|k| k.value.clone());
        assert_eq!(stored.as_deref(), Some(meta.as_str()));
        assert_eq!(builder.metadata().num_row_groups(), CHUNKS.len());
        let schema = builder.schema().clone();
        for name in ["scenario", "arm", "defector"] {
            let field = schema.field_with_name(name).expect("column");
            assert!(
                matches!(field.data_type(), DataType::Dictionary(_, _)),
                "{name} is {}",
                field.data_type()
            );
        }

        let mut reader = csv::Reader::from_reader(csv.as_slice());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_string)
            .collect();
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        assert_eq!(names, header);
        let expected: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect();

        let mut got = Vec::new();
        for batch in builder.build().expect("batches") {
            let batch = batch.expect("batch");
            for i in 0..batch.num_rows() {
                got.push(
                    batch
                        .columns()
                        .iter()
                        .map(|c| cell(c.as_ref(), i))
                        .collect::<Vec<_>>(),
                );
            }
        }
        assert_eq!(got.len(), 600);
        assert_eq!(got, expected);
        // The comparison covers both kinds of run: some split, some did not.
        let split = header.iter().position(|h| h == "split").expect("split");
        let defector = header
            .iter()
            .position(|h| h == "defector")
            .expect("defector");
        assert!(
            got.iter()
                .any(|r| r[split] == "1" && !r[defector].is_empty())
        );
        assert!(
            got.iter()
                .any(|r| r[split] == "0" && r[defector].is_empty())
        );
    }
}
