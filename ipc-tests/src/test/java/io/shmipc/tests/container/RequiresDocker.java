package io.shmipc.tests.container;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a container test class, with the reason, where Docker (or something else it needs) is missing; but when
 * the environment variable {@code CI} is {@code true}, fails it instead, so that a CI machine without an engine
 * cannot pass by skipping.
 */
public final class RequiresDocker implements BeforeAllCallback
{
    @Override
    public void beforeAll(final ExtensionContext context)
    {
        DockerEnvironment.problem().ifPresent(problem ->
        {
            if (DockerEnvironment.isContinuousIntegration())
            {
                throw new IllegalStateException("container tests cannot run, and CI=true forbids skipping them: " +
                    problem);
            }
            Assumptions.abort("container tests skipped: " + problem + " (with CI=true this fails instead)");
        });
    }
}
