package org.taskbert.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.taskbert.model.HuggingFaceFormat;
import org.taskbert.model.LoadedModel;

/**
 * A model the driver sent to the executors through {@link SparkFiles}: the driver writes the loaded model (whatever
 * its source: alias, Maven jar, run folder) as a Hugging Face folder, stored uncompressed in one zip (Spark ships
 * files, and directories only in local mode), and each executor JVM unpacks it once and loads it once. Executors need
 * no network and no Maven.
 */
record ShippedModel(String fileName, String name) implements Serializable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ShippedModel.class);
    private static final Map<String, LoadedModel> LOADED = new ConcurrentHashMap<>();

    /** Writes {@code model} under {@code work} and adds it to the context's files. */
    static ShippedModel ship(JavaSparkContext sc, LoadedModel model, Path work) throws IOException {
        String id = "taskbert-model-" + UUID.randomUUID();
        Path folder = work.resolve(id);
        HuggingFaceFormat.save(model, folder);
        Path zip = work.resolve(id + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
                Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                ZipEntry entry = new ZipEntry(f.getFileName().toString());
                entry.setMethod(ZipEntry.STORED); // weights do not compress; stored, they unpack at disk speed
                entry.setSize(Files.size(f));
                entry.setCrc(crc(f));
                out.putNextEntry(entry);
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        sc.addFile(zip.toString());
        return new ShippedModel(zip.getFileName().toString(), model.name());
    }

    /** The model in this JVM (unpacked and loaded on first use). */
    LoadedModel load() {
        return LOADED.computeIfAbsent(fileName, f -> {
            long start = System.nanoTime();
            try {
                Path folder = Files.createTempDirectory("taskbert-model");
                try (ZipInputStream in = new ZipInputStream(Files.newInputStream(Path.of(SparkFiles.get(f))))) {
                    for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                        Path target = folder.resolve(e.getName()).normalize();
                        if (!target.getParent().equals(folder)) {
                            throw new IOException("unexpected entry " + e.getName() + " in " + f);
                        }
                        Files.copy(in, target);
                    }
                }
                LoadedModel m = HuggingFaceFormat.load(folder, name);
                // The weights are in memory now; the vocabulary stays for the tokenizer until the JVM exits.
                Files.delete(folder.resolve(HuggingFaceFormat.WEIGHTS));
                folder.toFile().deleteOnExit();
                try (Stream<Path> left = Files.list(folder)) {
                    left.forEach(p -> p.toFile().deleteOnExit());
                }
                LOG.info(
                        "executor: model {} unpacked and loaded in {} s",
                        name,
                        String.format("%.1f", (System.nanoTime() - start) / 1e9));
                return m;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot unpack the model " + f + " sent by the driver", e);
            }
        });
    }

    /** Drops this JVM's copy (the driver's, in local mode, when its command ends). */
    void forget() {
        LOADED.remove(fileName);
    }

    private static long crc(Path f) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(f)) {
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
    }
}
