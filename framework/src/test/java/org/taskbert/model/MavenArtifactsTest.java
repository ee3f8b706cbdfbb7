package org.taskbert.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maven coordinates are plain names, and their jar lies inside the local repository (issue 15, row 8). */
class MavenArtifactsTest {

    @TempDir
    Path tmp;

    private String saved;

    @BeforeEach
    void localRepositoryInTmp() {
        saved = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", tmp.resolve("repo").toString());
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty("maven.repo.local");
        } else {
            System.setProperty("maven.repo.local", saved);
        }
    }

    @Test
    void aJarInTheLocalRepositoryIsFound() throws IOException {
        Path jar = tmp.resolve("repo/com/example/models/tiny-bert/1.0.0/tiny-bert-1.0.0.jar");
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[] {1});
        assertEquals(jar, MavenArtifacts.resolveJar("com.example.models:tiny-bert:1.0.0"));
        Path classified = jar.resolveSibling("tiny-bert-1.0.0-small.zip");
        Files.write(classified, new byte[] {1});
        assertEquals(classified, MavenArtifacts.resolveJar("com.example.models:tiny-bert:zip:small:1.0.0"));
    }

    /** {@code ..} as groupId became "//", an absolute path: the jar was looked for at /ARTIFACT/VERSION/. */
    @Test
    void aGroupIdOfDotDotCannotOpenAJarOutsideTheRepository() throws IOException {
        // Where the temporary folder is one level below the root (/tmp/junit-123, as in CI), the old resolver found
        // this jar; wherever it is, the coordinate must be refused by name.
        String top = tmp.getParent().getFileName().toString(); // e.g. tmp
        String version = tmp.getFileName().toString(); // e.g. junit-123
        Path outside = tmp.resolve(top + "-" + version + ".jar");
        Files.write(outside, new byte[] {1});
        var e = assertThrows(ModelLoadException.class, () -> MavenArtifacts.resolveJar("..:" + top + ":" + version));
        assertTrue(e.getMessage().contains("'..:" + top + ":" + version + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("groupId '..'"), e.getMessage());
    }

    @Test
    void badPartsAreNamed() {
        for (String[] c : new String[][] {
            {"..:tmp:rel", "groupId '..'"},
            {"com..example:a:1", "groupId 'com..example'"},
            {".hidden:a:1", "groupId '.hidden'"},
            {"com.example:..:1", "artifactId '..'"},
            {"com.example:a:..", "version '..'"},
            {"com.example:a:.", "version '.'"},
            {"com.example:a:jar:../x:1", "classifier '../x'"},
            {"com.example:a\\b:1", "artifactId 'a\\b'"},
            {"com.example:a:[1.0,2.0)", "version '[1.0,2.0)'"},
        }) {
            var e = assertThrows(ModelLoadException.class, () -> MavenArtifacts.resolveJar(c[0]), c[0]);
            assertTrue(e.getMessage().contains("bad Maven coordinates '" + c[0] + "'"), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
        var e = assertThrows(ModelLoadException.class, () -> MavenArtifacts.resolveJar("just-a-name"));
        assertTrue(e.getMessage().contains("group:artifact:version"), e.getMessage());
    }

    @Test
    void theCommandLinesModelOptionRefusesThem() {
        var e = assertThrows(ModelLoadException.class, () -> Models.load("..:tmp:rel"));
        assertTrue(e.getMessage().contains("groupId '..'"), e.getMessage());
    }
}
