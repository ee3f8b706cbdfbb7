package org.taskbert.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.taskbert.cli.Preflight;
import org.taskbert.data.TextLines;
import org.taskbert.spi.config.ConfigException;

/**
 * The texts of {@code spark embed}, as rows (id, text) in input order, partition i before partition i + 1. A text or
 * JSONL file is read by the driver with the plain {@code embed}'s reader ({@link TextLines}: strict UTF-8, a
 * malformed line named by file and line) and cut into slices; Parquet (a file or a folder of them) is read by Spark,
 * in the order of file name and row within the file, ids numbered across partitions ({@code zipWithIndex}).
 */
final class EmbedInput {

    private EmbedInput() {}

    /** A URI with a scheme (hdfs://, s3a://, file://): read by Spark, so Parquet; else a path on the driver. */
    static boolean isUri(String location) {
        return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    }

    static boolean isParquet(String input) {
        return isUri(input) || input.endsWith(".parquet") || Files.isDirectory(Path.of(input));
    }

    /** A text or JSONL file's texts, read by the driver before Spark starts (null for Parquet, which Spark reads). */
    static List<String> driverTexts(String input, String column) throws IOException {
        if (isParquet(input)) {
            return null;
        }
        Preflight.inputFile(Path.of(input));
        return TextLines.read(Path.of(input), column);
    }

    /**
     * The rows: Parquet read by Spark, or the driver's {@code texts} cut into slices of {@code textsPerPartition}
     * (at least one per core).
     */
    static JavaRDD<Row> rows(
            SparkSession spark, String input, String column, List<String> texts, int textsPerPartition) {
        if (texts == null) {
            return parquet(spark, input, column);
        }
        List<Row> rows = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create((long) i, texts.get(i)));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = Math.max(
                sc.defaultParallelism(), (int) Math.min(Integer.MAX_VALUE, ceilDiv(texts.size(), textsPerPartition)));
        return sc.parallelize(rows, Math.max(1, Math.min(slices, Math.max(1, texts.size()))));
    }

    private static JavaRDD<Row> parquet(SparkSession spark, String input, String column) {
        if (!isUri(input) && !Files.exists(Path.of(input))) {
            throw new ConfigException(input + ": does not exist");
        }
        Dataset<Row> df = spark.read().parquet(input);
        StructField field = Arrays.stream(df.schema().fields())
                .filter(f -> f.name().equals(column))
                .findFirst()
                .orElseThrow(() -> new ConfigException(input + ": no column '" + column + "' (--text-column); its"
                        + " columns: " + String.join(", ", df.columns())));
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new ConfigException(input + ": column '" + column + "' (--text-column) holds "
                    + field.dataType().simpleString() + ", not strings");
        }
        String source = input;
        // Spark packs a folder's files into partitions largest first: the input order is restored from each row's
        // file and its index in it (Parquet's _metadata.row_index).
        return df.select(
                        functions.col(column),
                        functions.col("_metadata.file_path").as("file"),
                        functions.col("_metadata.row_index").as("row"))
                .orderBy("file", "row")
                .javaRDD()
                .zipWithIndex()
                .map(p -> {
                    if (p._1().isNullAt(0)) {
                        throw new IllegalArgumentException(p._1().getString(1) + ": row " + (p._1().getLong(2) + 1)
                                + ": column '" + column + "' is null (" + source + ")");
                    }
                    return RowFactory.create(p._2(), p._1().getString(0));
                });
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
