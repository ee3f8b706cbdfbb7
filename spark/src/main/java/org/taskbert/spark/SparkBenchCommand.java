package org.taskbert.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.taskbert.data.TextLines;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.spi.Pooling;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code taskbert spark bench}: embedding sentences/s of the plain encoder in this JVM against {@code spark embed} on
 * the same sentences for each master, and Spark's overhead as the ratio of the rates. Spark is timed three ways: the
 * whole command (session start, model shipping and stop included; for plain, model load and embedding), the job
 * (input read to Parquet written, the executors' model unpacking and encoder creation inside it) and the encoders'
 * own seconds summed over the tasks (texts per encoder-second: a task slot's steady rate).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Embedding sentences/s: the plain encoder against spark embed per master, on the same texts.")
final class SparkBenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-m", "--model"},
            required = true,
            description = "model, as for embed")
    String model;

    @Option(
            names = {"-i", "--input"},
            required = true,
            description = "text or .jsonl file")
    Path input;

    @Option(names = "--text-column", defaultValue = "text", description = "JSONL field (default ${DEFAULT-VALUE})")
    String textColumn;

    @Option(names = "--pooling", defaultValue = "cls", description = "pooling (default ${DEFAULT-VALUE})")
    String pooling;

    @Option(names = "--max-sentences", description = "time the first N texts only")
    Integer maxSentences;

    @Option(
            names = "--masters",
            split = ",",
            defaultValue = "local[1],local[2]",
            description = "Spark masters to time (default ${DEFAULT-VALUE})")
    List<String> masters;

    @Option(names = "--texts-per-partition", defaultValue = "256", description = "default ${DEFAULT-VALUE}")
    int textsPerPartition;

    @Option(names = "--json", defaultValue = "out/spark-bench.json", description = "results (default ${DEFAULT-VALUE})")
    Path json;

    @Override
    public Integer call() throws Exception {
        List<String> texts = TextLines.read(input, textColumn);
        if (maxSentences != null && maxSentences < texts.size()) {
            texts = texts.subList(0, maxSentences);
        }
        Path work = Files.createTempDirectory("taskbert-spark-bench");
        try {
            Path subset = Files.write(work.resolve("texts.txt"), texts);
            Pooling p = Pooling.parse(pooling);
            long l0 = System.nanoTime();
            LoadedModel m = Models.load(model);
            double loadSeconds = (System.nanoTime() - l0) / 1e9;
            long t0 = System.nanoTime();
            try (TextEncoder enc = TextEncoder.open(m, Encoder.DEFAULT_BATCH_SIZE)) {
                enc.embed(texts, Set.of(p), false);
            }
            double plainSeconds = (System.nanoTime() - t0) / 1e9;
            double plainRate = texts.size() / plainSeconds;
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "%-10s %6s %9s %9s %10s %11s %12s %13s%n",
                    "run", "texts", "command s", "job s", "texts/s", "plain/spark", "encoder s", "texts/s/task");
            out.printf(
                    "%-10s %6d %9.2f %9.2f %10.1f %11s %12.2f %13.1f%n",
                    "plain",
                    texts.size(),
                    loadSeconds + plainSeconds,
                    plainSeconds,
                    plainRate,
                    "1.00",
                    plainSeconds,
                    plainRate);
            List<Map<String, Object>> runs = new ArrayList<>();
            for (String master : masters) {
                Path parquet = work.resolve("out-" + runs.size());
                SparkEmbedCommand embed = new SparkEmbedCommand();
                long c0 = System.nanoTime();
                int code = new CommandLine(embed)
                        .setErr(new PrintWriter(new StringWriter()))
                        .execute(
                                "--model",
                                model,
                                "--pooling",
                                p.id(),
                                "--input",
                                subset.toString(),
                                "--output",
                                parquet.toString(),
                                "--master",
                                master,
                                "--texts-per-partition",
                                "" + textsPerPartition);
                double commandSeconds = (System.nanoTime() - c0) / 1e9;
                if (code != 0 || embed.rowsWritten != texts.size()) {
                    throw new IllegalStateException("spark embed with master " + master + " failed");
                }
                double rate = texts.size() / embed.jobSeconds;
                double perTask = texts.size() / embed.encoderSeconds;
                out.printf(
                        "%-10s %6d %9.2f %9.2f %10.1f %11.2f %12.2f %13.1f%n",
                        master,
                        texts.size(),
                        commandSeconds,
                        embed.jobSeconds,
                        rate,
                        plainRate / rate,
                        embed.encoderSeconds,
                        perTask);
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("master", master);
                run.put("texts", texts.size());
                run.put("commandSeconds", commandSeconds);
                run.put("jobSeconds", embed.jobSeconds);
                run.put("textsPerSecond", rate);
                run.put("plainOverSparkRate", plainRate / rate);
                run.put("encoderSecondsSummedOverTasks", embed.encoderSeconds);
                run.put("textsPerEncoderSecond", perTask);
                runs.add(run);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", model);
            result.put("input", input.toString());
            result.put("pooling", p.id());
            result.put("cores", Runtime.getRuntime().availableProcessors());
            result.put(
                    "plain",
                    Map.of(
                            "texts", texts.size(),
                            "loadSeconds", loadSeconds,
                            "seconds", plainSeconds,
                            "textsPerSecond", plainRate));
            result.put("spark", runs);
            Files.createDirectories(json.toAbsolutePath().getParent());
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), result);
            out.println("wrote " + json);
            return 0;
        } finally {
            SparkEmbedCommand.deleteTree(work);
        }
    }
}
