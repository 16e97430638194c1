import CloudMarket
import Foundation

/// A JSON Schema (draft 2020-12) of scenario files, written from the definitions the validator reads by (`Schema`),
/// so editors complete and check keys as `cloudmarket validate` would.
///
/// A file that `extends` another holds only what it changes, so its mappings need none of their required keys: the
/// schema checks it against a partial variant of every definition (`NAME-partial`). What needs the whole resolved
/// scenario — every group in every share row, shares summing to 1, ids that exist — stays the validator's.
public enum ScenarioJSONSchema {
    /// The schema, as pretty-printed JSON with sorted keys (stable, to commit).
    public static func document() -> String {
        let places = [
            Schema.top, Schema.horizon, Schema.solver, Schema.model, Schema.region, Schema.market, Schema.growth, Schema.adoption,
            Schema.group, Schema.investment, Schema.customerClass, Schema.target,
        ]
        var definitions: [String: Any] = [:]
        for partial in [false, true] {
            for place in places { definitions[name(place.name, partial)] = object(place, partial: partial) }
            definitions[name("lever", partial)] = lever(partial: partial)
        }
        let root: [String: Any] = [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "cloudmarket scenario",
            "description":
                "A cloudmarket scenario file (DESIGN §2). Written by `cloudmarket schema` from the validator's own definitions; "
                + "`cloudmarket validate` also checks what a schema cannot (ids, sums, dates).",
            "if": ["required": ["extends"]],
            "then": ["$ref": "#/$defs/\(name("scenario", true))"],
            "else": ["$ref": "#/$defs/scenario"],
            "$defs": definitions,
        ]
        let data = try! JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func name(_ base: String, _ partial: Bool) -> String { partial ? base + "-partial" : base }

    private static func object(_ place: Place, partial: Bool) -> [String: Any] {
        var out: [String: Any] = [
            "type": "object",
            "description": place.what,
            "properties": Dictionary(place.fields.map { ($0.key, schema($0.slot, partial: partial)) }, uniquingKeysWith: { a, _ in a }),
            "additionalProperties": false,
        ]
        if !partial, !place.required.isEmpty { out["required"] = place.required }
        if !place.exactlyOne.isEmpty {
            out[partial ? "not" : "oneOf"] =
                partial ? ["required": place.exactlyOne] : place.exactlyOne.map { ["required": [$0]] }
        }
        return out
    }

    /// Levers: the union of every type's keys, then each type restricted to its own (and, complete, its required ones).
    private static func lever(partial: Bool) -> [String: Any] {
        let types = Lever.Kind.typeNames.map(Schema.lever)
        let all = Place(name: "lever", what: "a policy lever", fields: types.flatMap(\.fields), required: Schema.lever("").required)
        var out = object(all, partial: partial)
        out["allOf"] = zip(Lever.Kind.typeNames, types).map { type, place -> [String: Any] in
            var then: [String: Any] = [
                "description": place.what,
                "properties": Dictionary(place.keys.map { ($0, true) }, uniquingKeysWith: { a, _ in a }),
                "additionalProperties": false,
            ]
            if !partial { then["required"] = place.required }
            return ["if": ["properties": ["type": ["const": type]], "required": ["type"]], "then": then]
        }
        return out
    }

    private static func schema(_ slot: Slot, partial: Bool) -> [String: Any] {
        switch slot {
        case .number(let rule): number(rule)
        case .count: ["type": "integer", "minimum": 1]
        case .text: ["type": "string"]
        case .choice(let words): ["enum": words]
        case .perSegment(let rule):
            ["anyOf": [number(rule), ["type": "object", "description": "segment → number", "additionalProperties": number(rule)]]]
        case .growth: ["anyOf": [number(Schema.growth.rule("rate")), ["$ref": "#/$defs/\(name("growth", partial))"]]]
        case .ids: ["type": "array", "items": ["type": "string"]]
        case .mapping(let place): ["$ref": "#/$defs/\(name(place.name, partial))"]
        case .byID(let inner): ["type": "object", "additionalProperties": schema(inner, partial: partial)]
        case .list(let place): ["type": "array", "items": ["$ref": "#/$defs/\(name(place.name, partial))"]]
        case .levers: ["type": "array", "items": ["$ref": "#/$defs/\(name("lever", partial))"]]
        }
    }

    private static func number(_ rule: Rule) -> [String: Any] {
        var out: [String: Any] = ["type": "number", "description": rule.expected]
        switch rule {
        case .any: break
        case .positive: out["exclusiveMinimum"] = 0
        case .nonNegative: out["minimum"] = 0
        case .unit: (out["minimum"], out["maximum"]) = (0, 1)
        case .openUnit: (out["exclusiveMinimum"], out["exclusiveMaximum"]) = (0, 1)
        case .aboveMinusOne: out["exclusiveMinimum"] = -1
        }
        return out
    }
}
