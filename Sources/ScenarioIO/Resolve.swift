import Foundation

/// Reads files, follows `extends`, merges, applies `remove` and `--set`.
final class Resolver {
    let diagnostics: Diagnostics
    /// Every file read, child first, and the text parsed from each.
    private(set) var files: [String] = []
    private(set) var texts: [String] = []

    init(diagnostics: Diagnostics) {
        self.diagnostics = diagnostics
    }

    /// The merged tree of `text` (named `fileName`) and its ancestors, `extends` and `remove` dropped.
    /// Nil when something fatal (syntax error, unreadable file, cycle) stops the resolution.
    func resolve(text: String, fileName: String, chain: [String] = []) -> YNode? {
        diagnostics.addSource(text, file: fileName)
        files.append(fileName)
        texts.append(text)
        guard let node = Parse.document(text, file: fileName, diagnostics: diagnostics) else { return nil }
        guard case .map(var top) = node else {
            diagnostics.report(node.loc, "", "expected a scenario (a mapping with name, horizon, segments, regions, groups, classes)")
            return nil
        }
        let me = absolute(fileName)
        var merged = YNode.map(top)
        if let extends = top["extends"] {
            top.remove("extends")
            merged = .map(top)
            if !extends.value.isNull {
                guard let relative = extends.value.text, extends.value.mapValue == nil, extends.value.seqValue == nil else {
                    diagnostics.report(
                        extends.value.loc, "extends", "expected the path of a parent scenario file, found \(describe(extends.value))")
                    return nil
                }
                let parentName = Self.join(directory(of: fileName), relative)
                let parentAbsolute = absolute(parentName)
                if let cycleStart = (chain + [me]).firstIndex(of: parentAbsolute) {
                    let loop = (chain + [me])[cycleStart...].map { display($0) } + [display(parentAbsolute)]
                    diagnostics.report(extends.value.loc, "extends", "extends cycle: " + loop.joined(separator: " → "))
                    return nil
                }
                guard let parentText = readFile(parentName, at: extends.value.loc, path: "extends") else { return nil }
                guard let parent = resolve(text: parentText, fileName: parentName, chain: chain + [me]) else { return nil }
                merged = merge(parent, .map(top), path: [])
            }
        }
        if case .map(var m) = merged, let remove = m["remove"] {
            m.remove("remove")
            merged = applyRemove(remove.value, to: m)
        }
        return merged
    }

    /// The text of a file, or nil after reporting why it cannot be read.
    func readFile(_ path: String, at loc: Loc, path fieldPath: String, kind: String = "scenario file") -> String? {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        let reason: String
        if !exists {
            reason = "no such file"
        } else if isDirectory.boolValue {
            reason = "it is a directory"
        } else if let data = FileManager.default.contents(atPath: path) {
            if let text = String(data: data, encoding: .utf8) { return text }
            reason = "it is not UTF-8 text"
        } else {
            reason = "permission denied or unreadable"
        }
        diagnostics.report(loc, fieldPath, "cannot read \(kind) '\(path)': \(reason)")
        return nil
    }

    // MARK: merge

    /// Deep merge: mappings key by key (child wins), `levers`/`targets` by `id`, other lists replaced.
    func merge(_ base: YNode, _ child: YNode, path: [String]) -> YNode {
        switch (base, child) {
        case (.map(let b), .map(let c)):
            var out = b
            out.loc = c.loc
            for entry in c.entries {
                if let i = out.entries.firstIndex(where: { $0.key == entry.key }) {
                    out.entries[i].value = merge(out.entries[i].value, entry.value, path: path + [entry.key])
                    out.entries[i].keyLoc = entry.keyLoc
                } else {
                    out.entries.append(entry)
                }
            }
            return .map(out)
        case (.seq(let b), .seq(let c)) where path == ["levers"] || path == ["targets"]:
            var out = b
            out.loc = c.loc
            for item in c.items {
                if let id = item.mapValue?["id"]?.value.text,
                    let i = out.items.firstIndex(where: { $0.mapValue?["id"]?.value.text == id })
                {
                    let parentType = out.items[i].mapValue?["type"]?.value.text
                    let childType = item.mapValue?["type"]?.value.text
                    if path == ["levers"], let childType, childType != parentType {
                        out.items[i] = item  // a lever that changes type starts afresh
                    } else {
                        out.items[i] = merge(out.items[i], item, path: path + [id])
                    }
                } else {
                    out.items.append(item)
                }
            }
            return .seq(out)
        default:
            return child
        }
    }

    private func applyRemove(_ remove: YNode, to top: YMap) -> YNode {
        var top = top
        guard case .seq(let removed) = remove else {
            if !remove.isNull {
                diagnostics.report(remove.loc, "remove", "expected a list of lever or target ids, found \(describe(remove))")
            }
            return .map(top)
        }
        let leverIDs = ids(in: top["levers"]?.value)
        let targetIDs = ids(in: top["targets"]?.value)
        for (i, item) in removed.items.enumerated() {
            guard let id = item.text, item.mapValue == nil, item.seqValue == nil else {
                diagnostics.report(item.loc, "remove[\(i)]", "expected a lever or target id, found \(describe(item))")
                continue
            }
            var found = false
            for list in ["levers", "targets"] {
                guard case .seq(var s) = top[list]?.value else { continue }
                let before = s.items.count
                s.items.removeAll { $0.mapValue?["id"]?.value.text == id }
                if s.items.count != before {
                    found = true
                    top.set(list, .seq(s), keyLoc: top[list]!.keyLoc)
                }
            }
            if !found {
                diagnostics.report(
                    item.loc, "remove[\(i)]", "no lever or target has the id '\(id)'",
                    suggestion: nearest(id, in: leverIDs + targetIDs))
            }
        }
        return .map(top)
    }

    private func ids(in node: YNode?) -> [String] {
        node?.seqValue?.items.compactMap { $0.mapValue?["id"]?.value.text } ?? []
    }

    // MARK: overrides

    /// Applies `PATH=VALUE` overrides in order; a path that does not exist is reported.
    func applyOverrides(_ overrides: [String], to tree: YNode) -> YNode {
        var tree = tree
        for text in overrides {
            let loc = Loc.setting(text)
            guard let eq = text.firstIndex(of: "=") else {
                diagnostics.report(loc, "", "expected PATH=VALUE")
                continue
            }
            let path = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
            let components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.isEmpty, !components.contains("") else {
                diagnostics.report(loc, path, "expected PATH=VALUE with a dotted parameter path such as model.price_sensitivity")
                continue
            }
            guard let value = Parse.value(String(text[text.index(after: eq)...]), loc: loc, diagnostics: diagnostics, path: path) else {
                continue
            }
            if let updated = set(tree, components[...], done: [], value: value, loc: loc, root: tree) {
                tree = updated
            }
        }
        return tree
    }

    /// `node` with `value` set at `rest` (nil after reporting a path that does not exist).
    private func set(_ node: YNode?, _ rest: ArraySlice<String>, done: [String], value: YNode, loc: Loc, root: YNode) -> YNode? {
        guard let key = rest.first else { return value }
        let here = done.joined(separator: ".")
        let path = (done + [key]).joined(separator: ".")
        // Levers and targets are addressed by id.
        if done == ["levers"] || done == ["targets"] {
            guard case .seq(var list) = node else {
                diagnostics.report(loc, path, "the scenario has no \(done[0])")
                return nil
            }
            guard let i = list.items.firstIndex(where: { $0.mapValue?["id"]?.value.text == key }) else {
                let known = ids(in: node)
                diagnostics.report(
                    loc, path, "no \(done[0] == "levers" ? "lever" : "target") has the id '\(key)'", suggestion: nearest(key, in: known))
                return nil
            }
            guard let updated = set(list.items[i], rest.dropFirst(), done: done + [key], value: value, loc: loc, root: root) else {
                return nil
            }
            list.items[i] = updated
            return .seq(list)
        }
        var map: YMap
        switch node {
        case .map(let m)?:
            map = m
        case nil:
            map = YMap(entries: [], loc: loc)
            if Schema.isPerSegment(done), done.last == "price" {
                // An absent price is 1.0 for every segment.
                for segment in Schema.segments(root) {
                    map.set(segment, .scalar(YScalar(text: "1", plain: true, loc: loc)), keyLoc: loc)
                }
            }
        case .scalar(let s)? where !s.isNull && Schema.isPerSegment(done):
            // One number for every segment: expand into a mapping first.
            map = YMap(entries: [], loc: s.loc)
            for segment in Schema.segments(root) { map.set(segment, node!, keyLoc: s.loc) }
        case .scalar(let s)? where !s.isNull && Schema.isGrowth(done):
            map = YMap(entries: [YEntry(key: "rate", keyLoc: s.loc, value: node!)], loc: s.loc)
        case .scalar(let s)? where s.isNull:
            map = YMap(entries: [], loc: loc)
        default:
            diagnostics.report(loc, path, "'\(here)' is \(describe(node!)), so it has no '\(key)'")
            return nil
        }
        let existing = map[key]
        if existing == nil {
            let allowed = Schema.keys(at: done, in: root)
            guard let allowed, allowed.contains(key) else {
                diagnostics.report(
                    loc, path, "no such parameter in the scenario", suggestion: nearest(key, in: map.keys + (allowed ?? [])))
                return nil
            }
        }
        guard let updated = set(existing?.value, rest.dropFirst(), done: done + [key], value: value, loc: loc, root: root) else {
            return nil
        }
        map.set(key, updated, keyLoc: existing?.keyLoc ?? loc)
        return .map(map)
    }

    // MARK: paths

    private func directory(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "" }
        return file[..<slash].isEmpty ? "/" : String(file[..<slash])
    }

    static func join(_ directory: String, _ path: String) -> String {
        if path.hasPrefix("/") || directory.isEmpty { return normalize(path) }
        return normalize(directory + "/" + path)
    }

    /// Removes `.` and resolvable `..` components, lexically.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = out.last, last != ".." {
                out.removeLast()
                continue
            }
            if part == "..", absolute { continue }
            out.append(part)
        }
        let joined = out.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? Self.normalize(path) : Self.normalize(FileManager.default.currentDirectoryPath + "/" + path)
    }

    private func display(_ absolutePath: String) -> String {
        let cwd = Self.normalize(FileManager.default.currentDirectoryPath) + "/"
        return absolutePath.hasPrefix(cwd) ? String(absolutePath.dropFirst(cwd.count)) : absolutePath
    }
}

/// How a node is described in "found …".
func describe(_ node: YNode) -> String {
    switch node {
    case .scalar(let s):
        if s.isNull { return "null" }
        if s.plain, parseNumber(s.text) != nil { return "the number \(s.text)" }
        return "the string \"\(s.text)\""
    case .map: return "a mapping"
    case .seq: return "a list"
    }
}
