package io.shmipc.bridge;

/**
 * A bridge configuration value that breaks its rule: {@code invalid bridge configuration: field=value (rule)}, with
 * each part readable on its own (a command line names its option instead of the field).
 */
public final class InvalidBridgeConfigException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;
    private final String rule;

    InvalidBridgeConfigException(final String field, final String value, final String rule)
    {
        super("invalid bridge configuration: " + field + "=" + value + " (" + rule + ")");
        this.field = field;
        this.value = value;
        this.rule = rule;
    }

    /**
     * The {@link BridgeConfig.Builder} property that is wrong, e.g. {@code mtu}.
     *
     * @return the field.
     */
    public String field()
    {
        return field;
    }

    /**
     * The value refused.
     *
     * @return the value, as text.
     */
    public String value()
    {
        return value;
    }

    /**
     * What the value must be.
     *
     * @return the rule, in words.
     */
    public String rule()
    {
        return rule;
    }
}
