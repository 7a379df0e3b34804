using ServerlessEventStore.Server.Api;

namespace ServerlessEventStore.Server.Tests.Api;

/// <summary>The order and bounds of a validation problem's <c>errors</c>, as the API has always listed them.</summary>
public sealed class ValidationErrorsTests
{
    [Fact]
    public void ToDictionary_FieldsOfSeveralLevels_ListsLevelByLevelShorterNamesFirst()
    {
        var errors = new ValidationErrors();
        errors.Add("events[1].eventId", "d");
        errors.Add("before-revision", "b");
        errors.Add("events[1]", "c");
        errors.Add("direction", "a");
        errors.Add("events[0].eventId", "e");
        errors.Add("", "root");

        errors.ToDictionary().Keys.Should().Equal("", "direction", "before-revision", "events[1]", "events[0].eventId", "events[1].eventId");
    }

    [Fact]
    public void Add_SameFieldInAnotherCase_KeepsOneFieldWithBothMessages()
    {
        var errors = new ValidationErrors();
        errors.Add("limit", "one");
        errors.Add("Limit", "two");

        errors.ToDictionary().Should().ContainSingle().Which.Should().BeEquivalentTo(new KeyValuePair<string, string[]>("limit", ["one", "two"]));
    }

    [Fact]
    public void Add_MoreThanTheMost_KeepsTheFirstAndANote()
    {
        var errors = new ValidationErrors();
        for (var i = 0; i < 300; i++)
        {
            errors.Add($"events[{i}].payload", "wrong");
        }

        var listed = errors.ToDictionary();

        listed.Values.Sum(messages => messages.Length).Should().Be(ValidationErrors.MaxErrors);
        listed[""].Should().Equal("The input was not valid.");
        listed.Should().ContainKey("events[198].payload").And.NotContainKey("events[199].payload");
    }
}
