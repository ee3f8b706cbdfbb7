package org.taskbert.spark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** For the Spark tests: {@code taskbert spark ARGS} in this JVM, and a written Parquet folder read back. */
final class SparkRun {

    private SparkRun() {}

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** A row of {@code spark embed}'s output. */
    record Embedded(long id, String text, float[] vector) {}

    /** Every row of the folder, in the order its part files hold them (part files by name). */
    static List<Embedded> read(Path parquet) {
        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .appName("test read")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            List<Embedded> rows = new ArrayList<>();
            boolean text =
                    List.of(spark.read().parquet(parquet.toString()).columns()).contains("text");
            java.io.File[] parts =
                    parquet.toFile().listFiles((d, n) -> n.startsWith("part-") && n.endsWith(".parquet"));
            java.util.Arrays.sort(parts);
            for (java.io.File part : parts) {
                for (Row r : spark.read().parquet(part.toString()).collectAsList()) {
                    List<Float> v = r.getList(r.fieldIndex("vector"));
                    float[] f = new float[v.size()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = v.get(i);
                    }
                    rows.add(new Embedded(r.getLong(0), text ? r.getString(1) : null, f));
                }
            }
            return rows;
        } finally {
            spark.stop();
        }
    }
}
