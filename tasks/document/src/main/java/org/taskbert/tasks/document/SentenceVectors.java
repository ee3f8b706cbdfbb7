package org.taskbert.tasks.document;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.spi.data.AtomicFile;

/**
 * The frozen sentence vectors of documents, computed once and cached on disk. The cache file is named by a SHA-256 of
 * everything the vectors depend on: the model (its fingerprint: weights, vocabulary and case handling), the pooling,
 * the maximum length and every document's id and (capped) sentences. It is written whole or not at all
 * ({@link AtomicFile}), so a killed run leaves no partial cache; an unreadable cache file is recomputed.
 */
final class SentenceVectors {

    private static final Logger LOG = LoggerFactory.getLogger(SentenceVectors.class);
    private static final int MAGIC = 0x54425356; // "TBSV"
    private static final int VERSION = 1;

    /** Texts in, one vector a text out. */
    interface Embedder {
        float[][] embed(List<String> texts) throws IOException;
    }

    private SentenceVectors() {}

    /**
     * The vectors of each document's sentences, by document id, from the cache or computed with {@code embed} (texts
     * in, one vector a text out) and cached.
     *
     * @param sentences each document's sentences, by id, in the order they are to be stored
     * @param key what else the vectors depend on (model fingerprint, pooling, length)
     */
    static Map<String, float[][]> load(Map<String, List<String>> sentences, String key, Path cacheDir, Embedder embed)
            throws IOException {
        Path file = cacheDir.resolve(fileName(sentences, key));
        if (Files.isRegularFile(file)) {
            try {
                Map<String, float[][]> cached = read(file);
                if (cached.keySet().equals(sentences.keySet())) {
                    LOG.info("sentence vectors from the cache {}", file);
                    return cached;
                }
                LOG.warn("the cache file {} holds other documents; recomputing it", file);
            } catch (IOException | RuntimeException e) {
                LOG.warn("the cache file {} is unreadable ({}); recomputing it", file, e.toString());
            }
        }
        List<String> all = new ArrayList<>();
        sentences.values().forEach(all::addAll);
        LOG.info(
                "encoding {} sentences of {} documents (cached afterwards in {})",
                all.size(),
                sentences.size(),
                cacheDir);
        float[][] vectors = embed.embed(all);
        Map<String, float[][]> out = new LinkedHashMap<>();
        int next = 0;
        for (Map.Entry<String, List<String>> e : sentences.entrySet()) {
            float[][] doc = new float[e.getValue().size()][];
            for (int i = 0; i < doc.length; i++) {
                doc[i] = vectors[next++];
            }
            out.put(e.getKey(), doc);
        }
        Files.createDirectories(cacheDir);
        write(file, out);
        return out;
    }

    static String fileName(Map<String, List<String>> sentences, String key) {
        MessageDigest md = sha256();
        md.update(key.getBytes(StandardCharsets.UTF_8));
        sentences.forEach((id, list) -> {
            md.update(("\u0000" + id + "\u0001" + list.size()).getBytes(StandardCharsets.UTF_8));
            list.forEach(s -> md.update(("\u0002" + s).getBytes(StandardCharsets.UTF_8)));
        });
        return "sentences-" + HexFormat.of().formatHex(md.digest()).substring(0, 32) + ".bin";
    }

    static void write(Path file, Map<String, float[][]> docs) throws IOException {
        AtomicFile.write(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            int dim = docs.values().stream()
                    .filter(d -> d.length > 0)
                    .mapToInt(d -> d[0].length)
                    .findFirst()
                    .orElse(0);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(docs.size());
            out.writeInt(dim);
            for (Map.Entry<String, float[][]> e : docs.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                for (float[] v : e.getValue()) {
                    for (float x : v) {
                        out.writeFloat(x);
                    }
                }
            }
            out.flush();
        });
    }

    static Map<String, float[][]> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + ": not a sentence-vector cache file of version " + VERSION);
            }
            int docs = in.readInt();
            int dim = in.readInt();
            Map<String, float[][]> out = new LinkedHashMap<>();
            for (int d = 0; d < docs; d++) {
                String id = in.readUTF();
                float[][] vectors = new float[in.readInt()][dim];
                for (float[] v : vectors) {
                    for (int i = 0; i < dim; i++) {
                        v[i] = in.readFloat();
                    }
                }
                out.put(id, vectors);
            }
            if (in.read() != -1) {
                throw new IOException(file + ": trailing bytes after " + docs + " documents");
            }
            return out;
        } catch (EOFException e) {
            throw new IOException(file + ": truncated", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
