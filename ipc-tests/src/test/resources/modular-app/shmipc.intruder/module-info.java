module shmipc.intruder
{
    requires io.shmipc;
}
