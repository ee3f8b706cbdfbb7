package org.taskbert.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A checkpoint folder's {@code manifest.json}: the size and SHA-256 of each of its files, written last, so that a
 * checkpoint proves itself. A checkpoint is verified against it before it is resumed or loaded as a model; a
 * changed, cut or missing file is an error naming the file.
 *
 * <pre>
 * {"algorithm": "SHA-256", "files": {"weights.safetensors": {"bytes": 1234, "sha256": "ab12…"}, …}}
 * </pre>
 */
public final class CheckpointManifest {

    public static final String FILE = "manifest.json";

    private static final String ALGORITHM = "SHA-256";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointManifest() {}

    /** Writes {@code dir/manifest.json} for {@code files} of {@code dir} (synced; it must not exist yet). */
    public static void write(Path dir, List<String> files) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("algorithm", ALGORITHM);
        ObjectNode entries = root.putObject("files");
        for (String name : files) {
            Path file = dir.resolve(name);
            ObjectNode entry = entries.putObject(name);
            entry.put("bytes", Files.size(file));
            entry.put("sha256", sha256(file));
        }
        byte[] content = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        try (FileChannel channel =
                FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Whether {@code dir} has a manifest (a checkpoint written before checkpoints carried one has not). */
    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(FILE), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Checks that each of {@code files} of {@code dir} is listed in its manifest and has the listed size and SHA-256.
     * The message of a failure names the file and what is wrong with it.
     */
    public static void verify(Path dir, List<String> files) throws IOException {
        Path manifestFile = dir.resolve(FILE);
        if (!exists(dir)) {
            throw new NoSuchFileException(
                    manifestFile.toString(),
                    null,
                    "checkpoint " + dir + " has no " + FILE
                            + " (it was not written completely, or by a taskbert before checkpoints carried"
                            + " checksums): it cannot be verified");
        }
        JsonNode entries;
        try {
            JsonNode root = JSON.readTree(manifestFile.toFile());
            if (root == null || !ALGORITHM.equals(root.path("algorithm").asText())) {
                throw new IOException("not a checkpoint manifest with \"algorithm\": \"" + ALGORITHM + "\"");
            }
            entries = root.path("files");
        } catch (IOException e) {
            throw new IOException(manifestFile + " is damaged: " + firstLine(e.getMessage()), e);
        }
        for (String name : files) {
            Path file = dir.resolve(name);
            JsonNode entry = entries.path(name);
            if (!entry.path("bytes").canConvertToLong()
                    || entry.path("sha256").asText().length() != 64) {
                throw new IOException(
                        manifestFile + " lists no checksum for " + name + ": " + file + " cannot be verified");
            }
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(
                        file.toString(), null, "checkpoint " + dir + " lacks a file its " + FILE + " lists");
            }
            long expected = entry.path("bytes").asLong();
            long size = Files.size(file);
            if (size != expected) {
                throw new IOException(file + " is damaged: it has " + size + " bytes, its checkpoint's " + FILE
                        + " says " + expected);
            }
            String sum = sha256(file);
            if (!sum.equals(entry.path("sha256").asText())) {
                throw new IOException(file + " is damaged: its SHA-256 is " + sum + ", its checkpoint's " + FILE
                        + " says " + entry.path("sha256").asText());
            }
        }
    }

    /** The SHA-256 of a file's content, in lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has " + ALGORITHM, e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
