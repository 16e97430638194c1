/// A reported variable (DESIGN §1.6), by the name it has in outputs, targets and KPIs.
public enum Variable: String, Sendable, CaseIterable {
    // Per (region, segment, group); region and segment may be ALL.
    case revenue, share
    case flowShare = "flow_share"
    // Per (region, segment).
    case marketSize = "market_size"
    case growth
    case shareEU = "share_eu"
    case shareEULicensed = "share_eu_licensed"
    case shareNonEU = "share_non_eu"
    case flowShareEU = "flow_share_eu"
    case flowShareNonEU = "flow_share_non_eu"
    case sensitiveQualified = "sensitive_qualified"
    // Per group.
    case capability, investment
    case knowledgeStock = "knowledge_stock"
    // Per region.
    case adoption

    /// Which dimensions a value of this variable is keyed by.
    public enum Keys: Sendable {
        case regionSegmentGroup, regionSegment, group, region
    }

    public var keys: Keys {
        switch self {
        case .revenue, .share, .flowShare: .regionSegmentGroup
        case .marketSize, .growth, .shareEU, .shareEULicensed, .shareNonEU, .flowShareEU, .flowShareNonEU, .sensitiveQualified:
            .regionSegment
        case .capability, .investment, .knowledgeStock: .group
        case .adoption: .region
        }
    }

    public var unit: String {
        switch self {
        case .revenue, .marketSize, .investment: "MEUR/yr"
        case .share, .flowShare, .shareEU, .shareEULicensed, .shareNonEU, .flowShareEU, .flowShareNonEU, .sensitiveQualified:
            "fraction"
        case .growth: "fraction/yr"
        case .capability: "utility"
        case .knowledgeStock: "MEUR"
        case .adoption: "fraction of enterprises"
        }
    }

    public var meaning: String {
        switch self {
        case .revenue: "annual revenue run-rate of the group"
        case .share: "the group's share of the market"
        case .flowShare: "the group's share of the business contested at that moment"
        case .marketSize: "annual market size"
        case .growth: "segment growth rate in force (annual)"
        case .shareEU: "share held by groups of origin eu"
        case .shareEULicensed: "share held by groups of origin eu_licensed"
        case .shareNonEU: "share held by groups of origin non_eu"
        case .flowShareEU: "share of contested business won by groups of origin eu"
        case .flowShareNonEU: "share of contested business won by groups of origin non_eu"
        case .sensitiveQualified: "share of contested sensitive business placed on qualified offers"
        case .capability: "utility from capability, θ·ln(K/K0)"
        case .investment: "R&D investment in force, funding levers included"
        case .knowledgeStock: "capability (knowledge) stock K"
        case .adoption: "share of enterprises buying cloud services (Bass)"
        }
    }
}
