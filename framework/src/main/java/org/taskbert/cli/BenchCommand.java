package org.taskbert.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.taskbert.bench.BenchReport;
import org.taskbert.bench.ChildJvm;
import org.taskbert.bench.EmbedWorkload;
import org.taskbert.bench.GemmPeak;
import org.taskbert.bench.GemmWorkload;
import org.taskbert.bench.Nd4jBuilds;
import org.taskbert.bench.PytorchPeer;
import org.taskbert.bench.TrainWorkload;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taskbert bench}: the GEMM peak, then each workload (embedding per batch size and ND4J build, fine-tuning
 * steps per config) in a fresh JVM of its own, so that each one's peak resident memory is its own; every rate is
 * quoted against the peak measured in the same run. The workloads live in {@code org.taskbert.bench}; this command
 * holds the options, runs them in order and prints each row.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the GEMM peak, BERT embedding throughput and fine-tuning step time in one run.",
            "FLOPs count real tokens only: 2 x 85M per token plus attention forward; training adds a backward",
            "of twice the forward through the layers that are trained."
        })
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-m", "--model"},
            defaultValue = "bert-base-uncased")
    String model;

    @Option(names = "--batch-sizes", defaultValue = "32,128", split = ",")
    List<Integer> batchSizes;

    @Option(
            names = "--natives",
            defaultValue = "default",
            split = ",",
            description =
                    "ND4J builds to time the embedding workloads with: default (what taskbert picks for this CPU),"
                            + " generic (x86-64), avx2")
    List<String> natives;

    @Option(names = "--gemm-seconds", defaultValue = "3", description = "time per GEMM shape")
    int gemmSeconds;

    @Option(names = "--train-config", description = "training configs whose steps are timed (repeatable)")
    List<Path> trainConfigs = new ArrayList<>();

    @Option(
            names = "--train-steps",
            defaultValue = "6",
            description = "steps per training workload; the first 2 are warm-up")
    int trainSteps;

    @Option(
            names = "--train-layers",
            split = ",",
            description = "run each training config once per value of training.train_layers (12: all layers)")
    List<Integer> trainLayers = new ArrayList<>();

    @Option(names = "--train-set", description = "key.path=value overrides for every training workload (repeatable)")
    List<String> trainSets = new ArrayList<>();

    @Option(
            names = "--torch-peer",
            paramLabel = "HF_DIR",
            description = {
                "also run the PyTorch peer (bench/torch_peer.py,"
                        + " Debian's python3-torch) on this Hugging Face export of the model (taskbert export MODEL --out HF_DIR)"
            })
    Path torchPeer;

    @Option(
            names = "--peer-train-layers",
            defaultValue = "2,12",
            description = "top layers the PyTorch peer trains, one fine-tuning row each (12: all layers)")
    String peerTrainLayers;

    @Option(names = "--torch-script", defaultValue = "bench/torch_peer.py", hidden = true)
    Path torchScript;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "the Python with torch (Debian's)")
    String python;

    @Option(
            names = "--torch-check",
            paramLabel = "REFERENCE_JSONL",
            description =
                    "verify the PyTorch peer against these reference vectors first (e.g. ../shared/reference/bert-base-uncased-vectors.jsonl)")
    Path torchCheck;

    @Option(names = "--json", defaultValue = "out/bench.json")
    Path json;

    @Option(names = "--max-sentences", description = "embed only the first N distinct sentences (0: all)")
    int maxSentences;

    @Option(names = "--worker", hidden = true, description = "internal: run one embedding workload, ENGINE:BATCH")
    String worker;

    @Parameters(arity = "0..*", paramLabel = "STS_FILE", description = "STS JSONL files whose sentences are embedded")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if ("gemm".equals(worker)) {
            ChildJvm.print(GemmWorkload.measure(gemmSeconds));
            return 0;
        }
        if (worker != null) {
            int b = Integer.parseInt(worker.substring(worker.indexOf(':') + 1));
            ChildJvm.print(EmbedWorkload.measure(model, b, EmbedWorkload.sentences(files, maxSentences)));
            return 0;
        }
        checkOptions();
        PrintWriter out = spec.commandLine().getOut();
        ChildJvm jvm = new ChildJvm(Main.class.getName());
        GemmWorkload.Result gemm = GemmWorkload.run(jvm, gemmSeconds);
        double peak = gemm.peakGflops();
        out.println("GEMM float32 (GFLOP/s):");
        for (GemmPeak.Result r : gemm.gemm()) {
            out.printf("  %-52s %-24s %7.1f%n", r.path(), r.shape(), r.gflops());
        }
        out.printf("  peak: %.1f GFLOP/s (ND4J build %s)%n", peak, gemm.nd4jBuild());
        out.flush();

        List<EmbedWorkload.Result> embed = new ArrayList<>();
        if (!files.isEmpty()) {
            for (int b : batchSizes) {
                for (String build : natives) {
                    EmbedWorkload.Result row = EmbedWorkload.run(jvm, model, b, build, maxSentences, files, peak);
                    embed.add(row);
                    out.printf(
                            Locale.ROOT,
                            "embed %s, engine %s, ND4J %s (%s), batch %d: %d sentences (%d tokens)"
                                    + " in %.1f s = %.1f sentences/s, %.1f GFLOP/s effective = %.0f%% of GEMM peak;"
                                    + " peak RSS %.0f MiB%n",
                            model,
                            row.engine(),
                            build,
                            row.nd4jBuild(),
                            b,
                            row.sentences(),
                            row.tokens(),
                            row.seconds(),
                            row.sentencesPerSecond(),
                            row.effectiveGflops(),
                            100 * row.effectiveGflops() / peak,
                            row.peakResidentMiB());
                    out.flush();
                }
            }
        }

        List<TrainWorkload.Result> train = new ArrayList<>();
        for (Path config : trainConfigs) {
            for (Integer layers : trainLayers.isEmpty() ? Collections.<Integer>singletonList(null) : trainLayers) {
                TrainWorkload.Result row = TrainWorkload.run(jvm, config, trainSets, layers, trainSteps, peak);
                train.add(row);
                out.printf(
                        Locale.ROOT,
                        "train %s %s, %s layers trained: %.2f s/step (median of steps 3..%d),"
                                + " %.1f examples/s, %.1f GFLOP/s effective = %.0f%% of GEMM peak; peak RSS %.0f MiB%n",
                        config,
                        trainSets,
                        row.trainLayers(),
                        row.secondsPerStep(),
                        trainSteps,
                        row.examplesPerSecond(),
                        row.effectiveGflops(),
                        100 * row.effectiveGflops() / peak,
                        row.peakResidentMiB());
                out.flush();
            }
        }

        List<PytorchPeer.Result> pytorch = null;
        if (torchPeer != null) {
            pytorch = new ArrayList<>();
            List<PytorchPeer.Result> rows = new PytorchPeer(python, torchScript, torchPeer, torchCheck)
                    .run(
                            model,
                            EmbedWorkload.sentences(files, maxSentences),
                            batchSizes,
                            trainSteps,
                            peerTrainLayers,
                            peak);
            for (PytorchPeer.Result row : rows) {
                Double ratio = row.taskbertOver(embed, train);
                pytorch.add(row.withRatio(ratio));
                out.printf(
                        Locale.ROOT,
                        "pytorch %s: %.1f GFLOP/s effective = %.0f%% of GEMM peak;" + " taskbert/pytorch = %s%n",
                        row.isEmbed() ? "embed batch " + row.batchSize() : "train step " + row.secondsPerStep() + " s",
                        row.effectiveGflops(),
                        100 * row.effectiveGflops() / peak,
                        ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio));
            }
        }
        new BenchReport(gemm.nd4jBuild(), gemm.gemm(), peak, embed, train, pytorch).write(json);
        return 0;
    }

    /** Rejects options that would fail only after the GEMM peak is measured. */
    private void checkOptions() throws java.io.IOException {
        List<Path> inputs = new ArrayList<>(files);
        inputs.addAll(trainConfigs);
        if (torchCheck != null) {
            inputs.add(torchCheck);
        }
        for (Path input : inputs) {
            Preflight.inputFile(input);
        }
        Preflight.outputFile(json, inputs);
        for (String build : natives) {
            try {
                Nd4jBuilds.options(build);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--natives: " + e.getMessage());
            }
        }
        if (!trainConfigs.isEmpty() && trainSteps <= TrainWorkload.WARM_UP) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--train-steps: " + trainSteps + " leaves no timed step after the " + TrainWorkload.WARM_UP
                            + " warm-up steps");
        }
    }
}
