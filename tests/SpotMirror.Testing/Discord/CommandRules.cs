using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SpotMirror.Testing.Discord;

/// <summary>
/// What Discord checks in a bulk command overwrite: names, descriptions, option counts, choices,
/// autocomplete, required-first ordering and the nesting of subcommands.
/// </summary>
internal static partial class CommandRules
{
    private const int ChatInput = 1;
    private const int SubCommand = 1;
    private const int SubCommandGroup = 2;
    private const int StringOption = 3;
    private const int IntegerOption = 4;
    private const int NumberOption = 10;
    private const long MaxSafeInteger = 9007199254740991;

    private static readonly HashSet<string> CommandFields =
    [
        "name", "name_localizations", "description", "description_localizations", "options", "default_member_permissions",
        "dm_permission", "contexts", "integration_types", "handler", "type", "id", "nsfw",
    ];

    private static readonly HashSet<string> OptionFields =
    [
        "type", "name", "name_localizations", "description", "description_localizations", "required", "autocomplete",
        "min_length", "max_length", "choices", "min_value", "max_value", "channel_types", "options",
    ];

    [GeneratedRegex(@"^[-_\p{L}\p{N}]{1,32}$")]
    private static partial Regex NamePattern();

    public static FormErrors Check(JsonArray commands)
    {
        var errors = new FormErrors();
        var names = new HashSet<(long, string)>();
        for (var i = 0; i < commands.Count; i++)
        {
            var path = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (commands[i] is not JsonObject command)
            {
                errors.WrongType(path, "an object");
                continue;
            }

            var type = DiscordJson.Integer(command["type"]) ?? ChatInput;
            if (type is < 1 or > 4)
            {
                errors.Add(path + ".type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}.");
            }

            errors.UnknownFields(command, CommandFields, path);
            var name = CheckName(command, path, lowercase: type == ChatInput, errors);
            if (name is not null && !names.Add((type, name)))
            {
                errors.Add(path + ".name", "APPLICATION_COMMANDS_DUPLICATE_NAME", $"Application command names must be unique ({name}).");
            }

            if (type == ChatInput)
            {
                CheckDescription(command, path, errors);
                CheckOptions(command["options"], path + ".options", depth: 0, errors);
            }
            else if (!string.IsNullOrEmpty(DiscordJson.String(command, "description")) || command["options"] is JsonArray { Count: > 0 })
            {
                errors.Add(path, "APPLICATION_COMMAND_INVALID", "User and message commands have no description and no options.");
            }

            CheckSet(command["contexts"], path + ".contexts", 2, errors);
            CheckSet(command["integration_types"], path + ".integration_types", 1, errors);
            if (command["default_member_permissions"] is JsonValue permissions && !DiscordJson.IsNumber(permissions)
                && !DiscordJson.IsSnowflake(permissions.TryGetValue(out string? text) ? text : null))
            {
                errors.Add(path + ".default_member_permissions", "BASE_TYPE_BAD_TYPE", "Must be a permission bit set as a string of digits.");
            }
        }

        return errors;
    }

    private static string? CheckName(JsonObject node, string path, bool lowercase, FormErrors errors)
    {
        var name = DiscordJson.String(node, "name");
        if (name is null)
        {
            errors.Required(path + ".name");
            return null;
        }

        if (name.Length is < 1 or > 32)
        {
            errors.BadLength(path + ".name", 1, 32);
        }
        else if (!NamePattern().IsMatch(name) || (lowercase && name.Any(char.IsUpper)))
        {
            errors.Add(path + ".name", "APPLICATION_COMMAND_INVALID_NAME", $"Command name is invalid: \"{name}\" must match ^[-_\\p{{L}}\\p{{N}}]{{1,32}}$ in lowercase.");
        }

        return name;
    }

    private static void CheckDescription(JsonObject node, string path, FormErrors errors)
    {
        var description = DiscordJson.String(node, "description");
        if (description is null)
        {
            errors.Required(path + ".description");
        }
        else if (DiscordJson.Length(description) is < 1 or > 100)
        {
            errors.BadLength(path + ".description", 1, 100);
        }
    }

    // depth 0: a command's options; 1: a subcommand's or group's; 2: a subcommand inside a group.
    private static void CheckOptions(JsonNode? node, string path, int depth, FormErrors errors)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray options)
        {
            errors.WrongType(path, "an array");
            return;
        }

        if (options.Count > 25)
        {
            errors.TooLong(path, 25);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var seenOptional = false;
        var subcommands = 0;
        for (var i = 0; i < options.Count; i++)
        {
            var at = $"{path}.{i}";
            if (options[i] is not JsonObject option)
            {
                errors.WrongType(at, "an object");
                continue;
            }

            errors.UnknownFields(option, OptionFields, at);
            var type = DiscordJson.Integer(option["type"]);
            if (type is not (>= 1 and <= 11))
            {
                errors.Add(at + ".type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, ..., 11}.");
                continue;
            }

            if (CheckName(option, at, lowercase: true, errors) is { } name && !names.Add(name))
            {
                errors.Add(at + ".name", "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", $"Option name {name} is already used in these options.");
            }

            CheckDescription(option, at, errors);
            var required = DiscordJson.Boolean(option["required"]) ?? false;
            if (required && seenOptional)
            {
                errors.Add(at + ".required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options");
            }

            seenOptional |= !required;
            if (type is SubCommand or SubCommandGroup)
            {
                subcommands++;
                CheckNesting(option, type.Value, at, depth, errors);
            }
            else
            {
                if (option["options"] is not null)
                {
                    errors.Add(at + ".options", "APPLICATION_COMMAND_OPTION_INVALID", "Only subcommands and groups have options.");
                }

                CheckValueOption(option, type.Value, at, errors);
            }
        }

        if (subcommands > 0 && subcommands < options.Count)
        {
            errors.Add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Subcommands and groups cannot sit beside value options.");
        }
    }

    private static void CheckNesting(JsonObject option, long type, string path, int depth, FormErrors errors)
    {
        // Groups exist only at the top; a group holds subcommands only; a subcommand holds value options only.
        var allowed = type == SubCommandGroup ? depth == 0 : depth == 0 || depth == 1;
        if (!allowed)
        {
            errors.Add(path + ".type", "APPLICATION_COMMAND_OPTION_INVALID", "Subcommands nest at most one group deep.");
            return;
        }

        CheckOptions(option["options"], path + ".options", type == SubCommandGroup ? 1 : 2, errors);
        if (option["options"] is JsonArray children)
        {
            foreach (var child in children)
            {
                var childType = child is JsonObject c ? DiscordJson.Integer(c["type"]) : null;
                var wrong = type == SubCommandGroup ? childType != SubCommand : childType is SubCommand or SubCommandGroup;
                if (wrong)
                {
                    errors.Add(path + ".options", "APPLICATION_COMMAND_OPTION_INVALID", "A group holds only subcommands; a subcommand holds only value options.");
                    break;
                }
            }
        }
    }

    private static void CheckValueOption(JsonObject option, long type, string path, FormErrors errors)
    {
        var autocomplete = DiscordJson.Boolean(option["autocomplete"]) ?? false;
        var choosable = type is StringOption or IntegerOption or NumberOption;
        if (autocomplete && !choosable)
        {
            errors.Add(path + ".autocomplete", "APPLICATION_COMMAND_OPTION_INVALID", "Autocomplete is for STRING, INTEGER and NUMBER options.");
        }

        if (option["choices"] is JsonArray choices)
        {
            if (!choosable)
            {
                errors.Add(path + ".choices", "APPLICATION_COMMAND_OPTION_INVALID", "Choices are for STRING, INTEGER and NUMBER options.");
            }

            if (autocomplete && choices.Count > 0)
            {
                errors.Add(path + ".autocomplete", "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID", "Autocomplete cannot be set with choices.");
            }

            if (choices.Count > 25)
            {
                errors.TooLong(path + ".choices", 25);
            }

            for (var i = 0; i < choices.Count; i++)
            {
                CheckChoice(choices[i], type, $"{path}.choices.{i}", errors);
            }
        }

        if (type == StringOption)
        {
            CheckRange(option, "min_length", "max_length", 0, 6000, path, errors);
        }
        else if (option["min_length"] is not null || option["max_length"] is not null)
        {
            errors.Add(path, "APPLICATION_COMMAND_OPTION_INVALID", "min_length and max_length are for STRING options.");
        }

        if (type is IntegerOption or NumberOption)
        {
            CheckRange(option, "min_value", "max_value", -MaxSafeInteger, MaxSafeInteger, path, errors);
        }
        else if (option["min_value"] is not null || option["max_value"] is not null)
        {
            errors.Add(path, "APPLICATION_COMMAND_OPTION_INVALID", "min_value and max_value are for INTEGER and NUMBER options.");
        }
    }

    public static void CheckChoice(JsonNode? node, long type, string path, FormErrors errors)
    {
        if (node is not JsonObject choice)
        {
            errors.WrongType(path, "an object");
            return;
        }

        if (DiscordJson.String(choice, "name") is not { } name || DiscordJson.Length(name) is < 1 or > 100)
        {
            errors.BadLength(path + ".name", 1, 100);
        }

        var value = choice["value"];
        var fits = type switch
        {
            StringOption => value is JsonValue v && v.TryGetValue(out string? text) && DiscordJson.Length(text) <= 100,
            IntegerOption => DiscordJson.Integer(value) is >= -MaxSafeInteger and <= MaxSafeInteger,
            _ => DiscordJson.IsNumber(value),
        };
        if (!fits)
        {
            errors.Add(path + ".value", "BASE_TYPE_BAD_TYPE", "The value must match the option type (a string of 100 or fewer characters, an integer within 2^53, or a number).");
        }
    }

    private static void CheckRange(JsonObject option, string minKey, string maxKey, double floor, double ceiling, string path, FormErrors errors)
    {
        double? min = null, max = null;
        foreach (var (key, isMin) in new[] { (minKey, true), (maxKey, false) })
        {
            if (option[key] is null)
            {
                continue;
            }

            if (DiscordJson.Number(option[key]) is not { } number || number < floor || number > ceiling)
            {
                errors.Add($"{path}.{key}", "NUMBER_TYPE_OUT_OF_RANGE", $"Must be a number from {floor} to {ceiling}.");
                continue;
            }

            if (isMin)
            {
                min = number;
            }
            else
            {
                max = number;
            }
        }

        if (min > max)
        {
            errors.Add(path + "." + minKey, "NUMBER_TYPE_OUT_OF_RANGE", $"{minKey} cannot exceed {maxKey}.");
        }
    }

    private static void CheckSet(JsonNode? node, string path, long largest, FormErrors errors)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray items || items.Count == 0
            || items.Any(item => DiscordJson.Integer(item) is not { } v || v < 0 || v > largest)
            || items.Select(item => DiscordJson.Integer(item)).Distinct().Count() != items.Count)
        {
            errors.Add(path, "BASE_TYPE_CHOICES", $"Must be a non-empty set of distinct values from 0 to {largest}.");
        }
    }
}
