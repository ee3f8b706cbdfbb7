package org.taskbert.model;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** The jar for {@code group:artifact:version}, downloaded into the local repository if missing. */
    public static Path resolveJar(String coordinates) {
        DefaultArtifact artifact = new DefaultArtifact(coordinates);
        Path local = localRepository()
                .resolve(artifact.getGroupId().replace('.', '/'))
                .resolve(artifact.getArtifactId())
                .resolve(artifact.getVersion())
                .resolve(artifact.getArtifactId() + "-" + artifact.getVersion() + ".jar");
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
            return system.resolveArtifact(session, new ArtifactRequest(artifact, remotes, null))
                    .getArtifact()
                    .getFile()
                    .toPath();
        } catch (ArtifactResolutionException e) {
            throw new ModelLoadException(
                    "cannot resolve model artifact " + coordinates + " (not in " + local + ", and fetching it failed: "
                            + e.getMessage() + ")",
                    e);
        } finally {
            system.shutdown();
        }
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
