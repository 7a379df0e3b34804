using ServerlessEventStore.Server.Api;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ServerlessEventStore.Server.Tests.Api;

/// <summary>Rules no request over HTTP can reach: clients and Kestrel remove dot segments from paths before routing.</summary>
public sealed class RequestValidatorTests
{
    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public void ValidateStreamType_DotSegment_IsInvalid(string streamType)
    {
        var errors = new ModelStateDictionary();

        RequestValidator.ValidateStreamType(errors, streamType);

        errors.IsValid.Should().BeFalse();
        errors["streamType"]!.Errors.Single().ErrorMessage.Should().Contain("not '.' or '..'");
    }

    [Theory]
    [InlineData("...")]
    [InlineData(".order")]
    [InlineData("order.v2")]
    public void ValidateStreamType_DotsAmongOtherCharacters_IsValid(string streamType)
    {
        var errors = new ModelStateDictionary();

        RequestValidator.ValidateStreamType(errors, streamType);

        errors.IsValid.Should().BeTrue();
    }
}
