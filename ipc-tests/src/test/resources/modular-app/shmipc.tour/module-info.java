module shmipc.tour
{
    requires io.shmipc;
}
