namespace DataCenterTwin.Render.Tests;

/// <summary>The colour scales against the ASHRAE TC 9.9 bands and their ends.</summary>
public class ColourScaleTests
{
    [Theory]
    [InlineData(14.9, "TooCold")]
    [InlineData(15, "Cool")]
    [InlineData(18, "Recommended")]
    [InlineData(27, "Recommended")]
    [InlineData(27.1, "Warm")]
    [InlineData(32, "Warm")]
    [InlineData(34, "Hot")]
    [InlineData(35.5, "TooHot")]
    public void Inlet_FollowsTheAshraeBands(double c, string band)
    {
        var expected = band switch
        {
            "TooCold" => ColourScale.TooCold,
            "Cool" => ColourScale.Cool,
            "Recommended" => ColourScale.Recommended,
            "Warm" => ColourScale.Warm,
            "Hot" => ColourScale.Hot,
            _ => ColourScale.TooHot,
        };
        Assert.Equal(expected, ColourScale.Inlet(c));
    }

    [Fact]
    public void Coolant_IsBlueWhenColdAndRedWhenHot()
    {
        var cold = ColourScale.CoolantC(8);
        var hot = ColourScale.CoolantC(50);
        Assert.True(cold.B > cold.R);
        Assert.True(hot.R > hot.B);
        var mid = ColourScale.CoolantC(15);
        Assert.Equal(0.15f + ((0.25f - 0.15f) * 0.5f), mid.R, 5);
    }

    [Fact]
    public void EveryChillerMode_HasItsOwnColour() =>
        Assert.Equal(5, Enum.GetValues<ChillerMode>().Select(ColourScale.Mode).Distinct().Count());

    [Theory]
    [InlineData("inlet", ColorBy.Inlet)]
    [InlineData("power", ColorBy.Power)]
    [InlineData("utilisation", ColorBy.Utilisation)]
    [InlineData("clock", ColorBy.Clock)]
    public void ColorByNames_Parse(string name, ColorBy by) => Assert.Equal(by, ColorByNames.Parse(name));

    [Fact]
    public void UnknownColorBy_IsNull() => Assert.Null(ColorByNames.Parse("humidity"));
}
