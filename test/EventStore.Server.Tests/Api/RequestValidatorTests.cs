using ServerlessEventStore.Server.Api;

namespace ServerlessEventStore.Server.Tests.Api;

/// <summary>Rules no request over HTTP can reach: clients and Kestrel remove dot segments from paths before routing.</summary>
public sealed class RequestValidatorTests
{
    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public void ValidateStreamType_DotSegment_IsInvalid(string streamType)
    {
        var errors = new ValidationErrors();

        RequestValidator.ValidateStreamType(errors, streamType);

        errors.IsValid.Should().BeFalse();
        errors.ToDictionary()["streamType"].Should().ContainSingle().Which.Should().Contain("not '.' or '..'");
    }

    [Theory]
    [InlineData("...")]
    [InlineData(".order")]
    [InlineData("order.v2")]
    public void ValidateStreamType_DotsAmongOtherCharacters_IsValid(string streamType)
    {
        var errors = new ValidationErrors();

        RequestValidator.ValidateStreamType(errors, streamType);

        errors.IsValid.Should().BeTrue();
    }
}
