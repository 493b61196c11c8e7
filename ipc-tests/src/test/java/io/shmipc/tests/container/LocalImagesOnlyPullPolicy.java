package io.shmipc.tests.container;

import org.testcontainers.containers.ContainerFetchException;
import org.testcontainers.images.AbstractImagePullPolicy;
import org.testcontainers.images.ImageData;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers' image pull policy for the container tests: an image present in the local engine is used as it is,
 * and any other image is refused at once with {@link ContainerFetchException} instead of being pulled. No registry
 * is reachable on CI, and Testcontainers would otherwise retry a failing pull for two minutes before giving up.
 * <p>
 * Every image Testcontainers resolves goes through the pull policy: the images of containers, Ryuk's, and the
 * {@code alpine} it runs to find a gateway or to check file mounting. {@code testcontainers.properties} on the test
 * class path selects this policy ({@value #PROPERTY}).
 */
public final class LocalImagesOnlyPullPolicy extends AbstractImagePullPolicy
{
    /** The Testcontainers configuration property that names the pull policy. */
    public static final String PROPERTY = "pull.policy";

    @Override
    public boolean shouldPull(final DockerImageName imageName)
    {
        if (super.shouldPull(imageName))
        {
            throw new ContainerFetchException("image " + imageName.asCanonicalNameString() + " is not in the " +
                "local Docker engine, and the container tests never pull from a registry: build or load it " +
                "locally first (the tests' own images come from docker/build-local-base.sh and docker/Dockerfile); " +
                "Testcontainers' helper images are kept out by TESTCONTAINERS_RYUK_DISABLED, " +
                "TESTCONTAINERS_CHECKS_DISABLE and TESTCONTAINERS_HOST_OVERRIDE (set in ipc-tests/pom.xml)");
        }
        return false;
    }

    @Override
    protected boolean shouldPullCached(final DockerImageName imageName, final ImageData localImageData)
    {
        return false;
    }

    @Override
    public String toString()
    {
        return "LocalImagesOnlyPullPolicy (local images only, never pulls)";
    }
}
