package org.taskbert.model;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a model jar by Maven coordinates: in the local Maven repository first, otherwise fetched
 * with Maven's own resolver from the repositories of Maven's super POM (Maven Central), or from
 * the repository named by {@code TASKBERT_MAVEN_REMOTE}.
 */
public final class MavenArtifacts {

    private static final Logger LOG = LoggerFactory.getLogger(MavenArtifacts.class);

    private MavenArtifacts() {}

    /** The local repository: {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
    public static Path localRepository() {
        String p = System.getProperty("maven.repo.local");
        return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** A groupId: dot-separated names. */
    private static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    /** An artifactId, version, classifier or extension: one path segment that cannot be {@code .} or {@code ..}. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.+-]*");

    /**
     * The jar for {@code group:artifact[:extension[:classifier]]:version}, downloaded into the local repository if
     * missing. Each part is checked to be a plain name, and the jar's path to lie inside the local repository, so
     * that coordinates such as {@code ..:tmp:rel} cannot open a file elsewhere.
     */
    public static Path resolveJar(String coordinates) {
        DefaultArtifact artifact = parse(coordinates);
        Path repo = localRepository().toAbsolutePath().normalize();
        String file = artifact.getArtifactId() + "-" + artifact.getVersion()
                + (artifact.getClassifier().isEmpty() ? "" : "-" + artifact.getClassifier()) + "."
                + artifact.getExtension();
        Path local = confined(
                coordinates,
                repo,
                repo.resolve(artifact.getGroupId().replace('.', '/'))
                        .resolve(artifact.getArtifactId())
                        .resolve(artifact.getVersion())
                        .resolve(file));
        if (Files.isRegularFile(local)) {
            return local;
        }
        RepositorySystem system = new RepositorySystemSupplier().get();
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(
                session, new LocalRepository(localRepository().toFile())));
        List<RemoteRepository> remotes = remotes();
        LOG.info(
                "fetching {} into {} from {} (a few hundred MB, once)",
                coordinates,
                localRepository(),
                remotes.get(0).getUrl());
        try {
            return confined(
                    coordinates,
                    repo,
                    system.resolveArtifact(session, new ArtifactRequest(artifact, remotes, null))
                            .getArtifact()
                            .getFile()
                            .toPath());
        } catch (ArtifactResolutionException e) {
            throw new ModelLoadException(
                    "cannot resolve model artifact " + coordinates + " (not in " + local + ", and fetching it failed: "
                            + e.getMessage() + ")",
                    e);
        } finally {
            system.shutdown();
        }
    }

    /** The coordinates, each part a plain name; a ModelLoadException naming the bad part otherwise. */
    static DefaultArtifact parse(String coordinates) {
        DefaultArtifact a;
        try {
            a = new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("bad Maven coordinates '" + coordinates
                    + "': expected group:artifact:version (or group:artifact:extension[:classifier]:version)");
        }
        part(coordinates, "groupId", a.getGroupId(), GROUP_ID);
        part(coordinates, "artifactId", a.getArtifactId(), SEGMENT);
        part(coordinates, "version", a.getVersion(), SEGMENT);
        part(coordinates, "extension", a.getExtension(), SEGMENT);
        if (!a.getClassifier().isEmpty()) {
            part(coordinates, "classifier", a.getClassifier(), SEGMENT);
        }
        return a;
    }

    private static void part(String coordinates, String what, String value, Pattern allowed) {
        if (!allowed.matcher(value).matches()) {
            throw new ModelLoadException("bad Maven coordinates '" + coordinates + "': the " + what + " '" + value
                    + "' is not a plain name (letters, digits, '_', '-', '+' and inner dots"
                    + (what.equals("groupId") ? ", no empty part" : "")
                    + "; no '/', '\\', ':' or '..')");
        }
    }

    /** {@code path}, if it lies inside the local repository {@code repo}. */
    private static Path confined(String coordinates, Path repo, Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (!p.startsWith(repo)) {
            throw new ModelLoadException("the Maven coordinates '" + coordinates + "' lead to " + p
                    + ", outside the local repository " + repo);
        }
        return p;
    }

    private static List<RemoteRepository> remotes() {
        String override = System.getenv("TASKBERT_MAVEN_REMOTE");
        if (override != null && !override.isBlank()) {
            return List.of(new RemoteRepository.Builder("taskbert-remote", "default", override).build());
        }
        // Maven's own default repositories, as its super POM declares them.
        try (InputStream in =
                Model.class.getClassLoader().getResourceAsStream("org/apache/maven/model/pom-4.0.0.xml")) {
            Model superPom = new MavenXpp3Reader().read(in);
            return superPom.getRepositories().stream()
                    .map(r -> new RemoteRepository.Builder(r.getId(), "default", r.getUrl()).build())
                    .toList();
        } catch (Exception e) {
            throw new ModelLoadException("cannot read Maven's super POM to find the default repository", e);
        }
    }
}
