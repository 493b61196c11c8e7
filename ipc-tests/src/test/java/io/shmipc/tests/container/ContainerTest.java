package io.shmipc.tests.container;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that starts containers: tagged {@code container} (select with {@code -Dgroups=container}, leave
 * out with {@code -DexcludedGroups=container}) and guarded by {@link RequiresDocker}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("container")
@ExtendWith(RequiresDocker.class)
public @interface ContainerTest
{
}
