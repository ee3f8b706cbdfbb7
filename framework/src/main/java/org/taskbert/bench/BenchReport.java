package org.taskbert.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code taskbert bench} writes to its JSON file: the GEMM rows and peak, then every workload's row, each rate
 * quoted against that peak.
 *
 * @param pytorch the PyTorch peer's rows, or null (and left out) when the peer was not run
 */
public record BenchReport(
        String gemmNd4jBuild,
        List<GemmPeak.Result> gemm,
        double gemmPeakGflops,
        List<EmbedWorkload.Result> embed,
        List<TrainWorkload.Result> train,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<PytorchPeer.Result> pytorch) {

    /** Writes this report as indented JSON, creating the folder. */
    public void write(Path json) throws IOException {
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), this);
    }
}
