package org.taskbert.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.taskbert.cli.ModelOptions;
import org.taskbert.cli.ProgressBars;
import org.taskbert.encoder.Encoder;
import org.taskbert.model.BertWeights;
import org.taskbert.model.LoadedModel;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskbert spark embed}: one vector per text, embedded by partition on Spark, written as Parquet. */
@Command(
        name = "embed",
        mixinStandardHelpOptions = true,
        description = {
            "Embed texts on Spark: a text file (one text a line), JSONL (field --text-column) or Parquet (column"
                    + " --text-column).",
            "Writes a Parquet folder of rows (id, [text,] vector array<float>); part files in input order, ids 0.."
        })
final class SparkEmbedCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelOptions model;

    @Option(
            names = {"-p", "--pooling"},
            defaultValue = "cls",
            description = "cls, pooler, mean, max or first_last_avg (default ${DEFAULT-VALUE})")
    String pooling;

    @Option(
            names = {"-i", "--input"},
            required = true,
            description = "text or .jsonl (.gz) file on the driver, or Parquet: a file, folder or URI (hdfs://...)")
    String input;

    @Option(
            names = {"-o", "--output"},
            required = true,
            description = "the Parquet folder to write (new, or empty); on a cluster a shared URI (hdfs://, s3a://)")
    String output;

    @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[*])")
    String master;

    @Option(
            names = "--text-column",
            defaultValue = "text",
            description = "JSONL field or Parquet column (default ${DEFAULT-VALUE})")
    String textColumn;

    @Option(names = "--keep-text", description = "write each text beside its vector")
    boolean keepText;

    @Option(names = "--normalize", description = "L2-normalise each vector")
    boolean normalize;

    @Option(
            names = "--texts-per-partition",
            defaultValue = "2048",
            description = "slice size for a text or JSONL input (default ${DEFAULT-VALUE}; Parquet keeps its splits)")
    int textsPerPartition;

    /** For the fault tests: a task failure to plan. */
    FaultPlan fault = FaultPlan.NONE;

    /** The last run's rows and seconds (reading the input to the written Parquet), for {@code spark bench}. */
    long rowsWritten;

    double jobSeconds;

    /** The encoders' own seconds, summed over the tasks (their creation, Spark and Parquet excepted). */
    double encoderSeconds;

    @Override
    public Integer call() throws Exception {
        Set<Pooling> poolings = Pooling.parseList(pooling);
        if (poolings.size() != 1) {
            throw new ConfigException(
                    "--pooling: spark embed writes one vector column; name one pooling, got " + pooling);
        }
        if (textsPerPartition < 1 || model.batchSize() < 1) {
            throw new ConfigException("--texts-per-partition and --batch-size must be positive");
        }
        Pooling p = poolings.iterator().next();
        if (!EmbedInput.isUri(output)) {
            checkOutput(Path.of(output));
        }
        if (!EmbedInput.isUri(input) && !Files.exists(Path.of(input))) {
            throw new java.nio.file.NoSuchFileException(input);
        }
        List<String> texts = EmbedInput.driverTexts(input, textColumn); // a malformed line fails here, before Spark
        LoadedModel m = model.load();
        if (p == Pooling.POOLER) {
            m.weights().require(BertWeights.POOLER_WEIGHT);
            m.weights().require(BertWeights.POOLER_BIAS);
        }
        SparkSession spark = SparkSessions.open(master, "taskbert spark embed");
        Path work = Files.createTempDirectory("taskbert-spark-embed");
        ShippedModel shipped = null;
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            shipped = ShippedModel.ship(sc, m, work);
            long start = System.nanoTime();
            JavaRDD<Row> rows = EmbedInput.rows(spark, input, textColumn, texts, textsPerPartition);
            long total = rows.count();
            AtomicLong written = new AtomicLong();
            LongAccumulator encoderNanos = spark.sparkContext().longAccumulator("encoder nanoseconds");
            Encoder.Progress progress =
                    ProgressBars.start("spark embed", (int) Math.min(Integer.MAX_VALUE, total), "texts");
            SparkListener listener = new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    long records = end.taskInfo().successful() && end.taskMetrics() != null
                            ? end.taskMetrics().outputMetrics().recordsWritten()
                            : 0;
                    if (records > 0) { // the write's tasks only
                        progress.done((int) Math.min(Integer.MAX_VALUE, written.addAndGet(records)));
                    }
                }
            };
            spark.sparkContext().addSparkListener(listener);
            JavaRDD<Row> vectors = rows.mapPartitions(
                    new PartitionEmbedder(shipped, p, normalize, model.batchSize(), keepText, fault, encoderNanos),
                    true);
            spark.createDataFrame(vectors, PartitionEmbedder.schema(keepText))
                    .write()
                    .parquet(output);
            double seconds = (System.nanoTime() - start) / 1e9;
            spark.sparkContext().removeSparkListener(listener); // its events arrive asynchronously: count the output
            long rowsOut = spark.read().parquet(output).count();
            if (written.get() < rowsOut) { // the bar closes itself at the total
                progress.done((int) Math.min(Integer.MAX_VALUE, rowsOut));
            }
            spec.commandLine()
                    .getErr()
                    .printf(
                            "wrote %d %s vectors to %s in %.1f s (%.1f texts/s, master %s, %d partitions)%n",
                            rowsOut,
                            p.id(),
                            output,
                            seconds,
                            rowsOut / seconds,
                            spark.sparkContext().master(),
                            rows.getNumPartitions());
            rowsWritten = rowsOut;
            jobSeconds = seconds;
            encoderSeconds = encoderNanos.value() / 1e9;
            if (rowsOut != total) {
                throw new IllegalStateException(output + " holds " + rowsOut + " rows for " + total + " texts");
            }
            return 0;
        } finally {
            spark.stop();
            if (shipped != null) {
                EncoderPool.release(shipped);
            }
            deleteTree(work);
        }
    }

    /** Spark writes a new folder; an empty one is taken (removed first), anything else is refused before work. */
    static void checkOutput(Path out) throws IOException {
        if (!Files.exists(out)) {
            return;
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> in = Files.list(out)) {
                if (in.findAny().isEmpty()) {
                    Files.delete(out);
                    return;
                }
            }
        }
        throw new java.nio.file.FileAlreadyExistsException(
                out.toString(), null, "exists (spark embed writes a new or empty folder)");
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
