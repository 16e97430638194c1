import Testing

@Suite struct SelfTestCommandTests {
    /// DESIGN §4's `selftest`: six checks against closed forms and certified values, all passing on a sound build.
    @Test func everyCheckPasses() throws {
        let cli = try CLI()
        defer { cli.removeAll() }
        let result = try cli.run("selftest")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("pass  ") }.count == 6, "\(result.stdout)")
        for check in ["compound growth", "logit relaxation", "Bass adoption", "conservation (baseline)", "Ishigami", "Misra1a"] {
            #expect(result.stdout.contains(check))
        }
        #expect(lines.last == "all 6 checks passed")
    }
}
