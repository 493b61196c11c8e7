package io.shmipc.examples.support;

import io.shmipc.ChannelSpec;
import io.shmipc.ServiceConfig;
import io.shmipc.exceptions.InvalidConfigurationException;
import picocli.CommandLine;

import java.util.function.UnaryOperator;

/**
 * Channel and service names on the command line, checked as they are read by the library's own rule, so that a bad
 * one is a usage error naming the option (exit 2) before any region is opened: {@code Invalid value for option
 * '--channel': invalid channel name: channel=.. ('.' and '..' are not names)}. Picocli converters.
 */
public final class Names
{
    private Names()
    {
    }

    private static String check(final UnaryOperator<String> rule, final String value)
    {
        try
        {
            return rule.apply(value);
        }
        catch (final InvalidConfigurationException ex)
        {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }

    /** A channel name: {@code converter = Names.Channel.class}. */
    public static final class Channel implements CommandLine.ITypeConverter<String>
    {
        @Override
        public String convert(final String value)
        {
            return check(ChannelSpec::checkName, value);
        }
    }

    /** A service name: {@code converter = Names.Service.class}. */
    public static final class Service implements CommandLine.ITypeConverter<String>
    {
        @Override
        public String convert(final String value)
        {
            return check(name -> ServiceConfig.builder(name).build().name(), value);
        }
    }
}
