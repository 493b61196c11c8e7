package io.shmipc.tests.container;

import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.PullPolicy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.TestcontainersConfiguration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the container tests need from the machine, checked once per JVM: a Docker engine, the base image in it, the
 * examples jar, and a Testcontainers configuration that can never need a registry; and the examples image, built
 * once per JVM from {@code docker/Dockerfile} with Testcontainers.
 * <p>
 * No test may need an image from a registry (none is reachable on CI). Testcontainers runs images of its own in
 * three places, each closed by the surefire configuration of {@code ipc-tests/pom.xml}: Ryuk
 * ({@code TESTCONTAINERS_RYUK_DISABLED}), its start-up checks ({@code TESTCONTAINERS_CHECKS_DISABLE}), and the
 * search for the Docker host's address when it runs inside a container ({@value #HOST_OVERRIDE_ENVIRONMENT}); and
 * {@link LocalImagesOnlyPullPolicy} refuses at once any image that the local engine lacks.
 * <p>
 * The base image is the system property {@value #BASE_IMAGE_PROPERTY}, else the environment variable
 * {@value #BASE_IMAGE_ENVIRONMENT}, else {@value #LOCAL_BASE_IMAGE}, which {@code docker/build-local-base.sh} makes
 * with no registry. Whichever it is, it must already be in the local engine.
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
    /** The environment variable that gives Testcontainers the Docker host's address instead of searching for it. */
    public static final String HOST_OVERRIDE_ENVIRONMENT = "TESTCONTAINERS_HOST_OVERRIDE";

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
            try
            {
                problem = findProblem();
            }
            catch (final RuntimeException ex)
            {
                problem = "the container test environment could not be checked: " + ex;
            }
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

    private static String findProblem()
    {
        final String configuration = registryConfigurationProblem();
        if (configuration != null)
        {
            return configuration;
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
        if (!imageExists(base))
        {
            return "base image " + base + " is not in the local Docker engine, and the tests never pull from a " +
                "registry: build " + LOCAL_BASE_IMAGE + " offline with bash docker/build-local-base.sh, or pull " +
                base + " yourself first";
        }
        return null;
    }

    /**
     * Why Testcontainers, as configured, could try to run or pull an image from a registry.
     *
     * @return the reason, or null when every path is closed.
     */
    private static String registryConfigurationProblem()
    {
        final String setIt = " (the ipc-tests surefire configuration sets it; set it in an IDE too)";
        if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED")))
        {
            return "TESTCONTAINERS_RYUK_DISABLED is not true: Ryuk's image comes from a registry, and the tests " +
                "remove their containers themselves" + setIt;
        }
        if (!TestcontainersConfiguration.getInstance().isDisableChecks())
        {
            return "TESTCONTAINERS_CHECKS_DISABLE is not true: the start-up checks run alpine from a registry" + setIt;
        }
        final String hostOverride = System.getenv(HOST_OVERRIDE_ENVIRONMENT);
        if (hostOverride == null || hostOverride.isBlank())
        {
            return HOST_OVERRIDE_ENVIRONMENT + " is not set: inside a container Testcontainers may run alpine " +
                "from a registry to find the Docker host's address" + setIt;
        }
        if (TestcontainersConfiguration.getInstance().getUserProperty("tc.host", null) != null)
        {
            return "tc.host is set in ~/.testcontainers.properties: Testcontainers then ignores " +
                HOST_OVERRIDE_ENVIRONMENT + " and may run alpine from a registry; remove it (DOCKER_HOST works)";
        }
        if (!(PullPolicy.defaultPolicy() instanceof LocalImagesOnlyPullPolicy))
        {
            return "Testcontainers' pull policy is " + PullPolicy.defaultPolicy() + ", not " +
                LocalImagesOnlyPullPolicy.class.getSimpleName() + ": set " + LocalImagesOnlyPullPolicy.PROPERTY +
                " as ipc-tests' testcontainers.properties does, and nothing else in the environment " +
                "(TESTCONTAINERS_PULL_POLICY) or in ~/.testcontainers.properties";
        }
        return null;
    }

    /**
     * Whether the local Docker engine holds an image.
     *
     * @param image the image name.
     * @return true when it does.
     */
    static boolean imageExists(final String image)
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
