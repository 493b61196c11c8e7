package io.shmipc.tests.container;

import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the container tests need from the machine, checked once per JVM: a Docker engine, Ryuk disabled (its image
 * comes from a registry), the base image, and the examples jar; and the examples image, built once per JVM from
 * {@code docker/Dockerfile} with Testcontainers.
 * <p>
 * The base image is the system property {@value #BASE_IMAGE_PROPERTY}, else the environment variable
 * {@value #BASE_IMAGE_ENVIRONMENT}, else {@value #LOCAL_BASE_IMAGE}, which {@code docker/build-local-base.sh} makes
 * with no registry. Any other base (e.g. {@code eclipse-temurin:17-jre}) is pulled by the build when missing.
 */
public final class DockerEnvironment
{
    /** System property naming the base image. */
    public static final String BASE_IMAGE_PROPERTY = "shmipc.docker.baseImage";
    /** Environment variable naming the base image. */
    public static final String BASE_IMAGE_ENVIRONMENT = "SHMIPC_BASE_IMAGE";
    /** The base image built offline by {@code docker/build-local-base.sh}. */
    public static final String LOCAL_BASE_IMAGE = "shm-ipc/local-jre:17";
    /** The examples image the tests build and keep (later builds reuse its layers). */
    public static final String EXAMPLES_IMAGE = "shm-ipc/examples:test";

    private static boolean checked;
    private static String problem;
    private static String examplesImage;

    private DockerEnvironment()
    {
    }

    /**
     * Why container tests cannot run here, if they cannot.
     *
     * @return the reason, or empty when everything needed is present.
     */
    public static synchronized Optional<String> problem()
    {
        if (!checked)
        {
            problem = findProblem();
            checked = true;
        }
        return Optional.ofNullable(problem);
    }

    /**
     * The examples image, built from {@code docker/Dockerfile} on {@link #baseImage()} the first time it is asked
     * for in this JVM.
     *
     * @return the image name.
     */
    public static synchronized String examplesImage()
    {
        if (examplesImage == null)
        {
            examplesImage = new ImageFromDockerfile(EXAMPLES_IMAGE, false)
                .withFileFromPath("Dockerfile", dockerfile())
                .withFileFromPath("ipc-examples/target/shm-ipc.jar", examplesJar())
                .withBuildArg("BASE_IMAGE", baseImage())
                .get();
        }
        return examplesImage;
    }

    /**
     * The base image for the examples image.
     *
     * @return the image name.
     */
    public static String baseImage()
    {
        final String property = System.getProperty(BASE_IMAGE_PROPERTY);
        if (property != null && !property.isBlank())
        {
            return property;
        }
        final String environment = System.getenv(BASE_IMAGE_ENVIRONMENT);
        return environment != null && !environment.isBlank() ? environment : LOCAL_BASE_IMAGE;
    }

    /**
     * Whether the environment variable {@code CI} is {@code true}: container tests must then run, not skip.
     *
     * @return true on CI.
     */
    public static boolean isContinuousIntegration()
    {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static String findProblem()
    {
        if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED")))
        {
            return "TESTCONTAINERS_RYUK_DISABLED is not true: Ryuk's image comes from a registry; set it (the " +
                "ipc-tests surefire configuration does), the tests remove their containers themselves";
        }
        if (!Files.isRegularFile(examplesJar()))
        {
            return "examples jar missing: " + examplesJar() + " (./mvnw -B -pl ipc-examples -am package)";
        }
        if (!Files.isRegularFile(dockerfile()))
        {
            return "Dockerfile missing: " + dockerfile();
        }
        if (!DockerClientFactory.instance().isDockerAvailable())
        {
            return "no Docker engine answers (DOCKER_HOST or /var/run/docker.sock); start one, e.g. with " +
                "bash docker/ci-prepare.sh";
        }
        final String base = baseImage();
        if (base.equals(LOCAL_BASE_IMAGE) && !imageExists(base))
        {
            return "base image " + base + " not found: build it offline with bash docker/build-local-base.sh, or " +
                "choose a registry image with -D" + BASE_IMAGE_PROPERTY + "=eclipse-temurin:17-jre";
        }
        return null;
    }

    private static boolean imageExists(final String image)
    {
        try
        {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        }
        catch (final NotFoundException ex)
        {
            return false;
        }
    }

    private static Path examplesJar()
    {
        return Path.of(System.getProperty("shmipc.examples.jar", "../ipc-examples/target/shm-ipc.jar"))
            .toAbsolutePath().normalize();
    }

    private static Path dockerfile()
    {
        return Path.of(System.getProperty("shmipc.docker.dockerfile", "../docker/Dockerfile"))
            .toAbsolutePath().normalize();
    }
}
