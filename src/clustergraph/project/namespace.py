"""The closed ``cg:`` namespace of the ontology: its terms as ``str`` IRIs.

Generated from ontology/clustergraph.ttl by ``python -m clustergraph.rdf.codegen``: do not edit.

Examples
--------
>>> CG.Cluster
'https://w3id.org/clustergraph/ontology#Cluster'
>>> CG.NoSuchTerm
Traceback (most recent call last):
...
AttributeError: type object 'CG' has no attribute 'NoSuchTerm'
"""

from clustergraph.project.layout import CG_NS
from clustergraph.project.vocab import ClosedNamespace


class CG(metaclass=ClosedNamespace):
    """Terms of the clustergraph ontology; unknown names raise AttributeError."""

    _NS = CG_NS
    _extras = ()

    # Classes
    Agency = CG_NS + "Agency"  # agency
    Agreement = CG_NS + "Agreement"  # agreement
    Announcement = CG_NS + "Announcement"  # announcement
    Association = CG_NS + "Association"  # association
    Cluster = CG_NS + "Cluster"  # cluster
    ClusterAlliance = CG_NS + "ClusterAlliance"  # cluster alliance
    ClusterNetwork = CG_NS + "ClusterNetwork"  # cluster network
    Company = CG_NS + "Company"  # company
    Comparator = CG_NS + "Comparator"  # comparator
    Conference = CG_NS + "Conference"  # conference
    Consortium = CG_NS + "Consortium"  # consortium
    EUInstitution = CG_NS + "EUInstitution"  # EU institution
    Event = CG_NS + "Event"  # event
    EventSeries = CG_NS + "EventSeries"  # event series
    ExcellenceLabelAward = CG_NS + "ExcellenceLabelAward"  # excellence label award
    ExecutiveBoard = CG_NS + "ExecutiveBoard"  # executive board
    Figure = CG_NS + "Figure"  # figure
    Forecast = CG_NS + "Forecast"  # forecast
    Forum = CG_NS + "Forum"  # forum
    FoundingAgreement = CG_NS + "FoundingAgreement"  # founding agreement
    Frequency = CG_NS + "Frequency"  # frequency
    FundingProgramme = CG_NS + "FundingProgramme"  # funding programme
    GeneralAssembly = CG_NS + "GeneralAssembly"  # general assembly
    GoodPracticeDescription = CG_NS + "GoodPracticeDescription"  # good practice description
    GovernanceBody = CG_NS + "GovernanceBody"  # governance body
    GovernmentBody = CG_NS + "GovernmentBody"  # government body
    JointInitiative = CG_NS + "JointInitiative"  # joint initiative
    LabelLevel = CG_NS + "LabelLevel"  # label level
    LegalForm = CG_NS + "LegalForm"  # legal form
    LetterOfIntent = CG_NS + "LetterOfIntent"  # letter of intent
    Measure = CG_NS + "Measure"  # measure
    MemberRole = CG_NS + "MemberRole"  # member role
    Membership = CG_NS + "Membership"  # membership
    Memorandum = CG_NS + "Memorandum"  # memorandum
    Ministry = CG_NS + "Ministry"  # ministry
    NewsArticle = CG_NS + "NewsArticle"  # news article
    Order = CG_NS + "Order"  # order
    Parliament = CG_NS + "Parliament"  # parliament
    Platform = CG_NS + "Platform"  # platform
    Post = CG_NS + "Post"  # post
    PostRole = CG_NS + "PostRole"  # post role
    ProfilePage = CG_NS + "ProfilePage"  # profile page
    Project = CG_NS + "Project"  # project
    PublicInstitution = CG_NS + "PublicInstitution"  # public institution
    ResearchInstitution = CG_NS + "ResearchInstitution"  # research institution
    Right = CG_NS + "Right"  # right
    Sector = CG_NS + "Sector"  # sector
    SelectionMethod = CG_NS + "SelectionMethod"  # selection method
    Source = CG_NS + "Source"  # source
    SourceGraph = CG_NS + "SourceGraph"  # source graph
    WorkingGroup = CG_NS + "WorkingGroup"  # working group

    # Object properties
    aimsToRepresentMembersBefore = CG_NS + "aimsToRepresentMembersBefore"  # aims to represent me...
    aimsToSubmitProposalsTo = CG_NS + "aimsToSubmitProposalsTo"  # aims to submit proposals to
    approvedBy = CG_NS + "approvedBy"  # approved by
    awardedBy = CG_NS + "awardedBy"  # awarded by
    awardedTo = CG_NS + "awardedTo"  # awarded to
    comparator = CG_NS + "comparator"  # comparator
    coordinatedBy = CG_NS + "coordinatedBy"  # coordinated by
    coordinates = CG_NS + "coordinates"  # coordinates
    country = CG_NS + "country"  # country
    distinctFrom = CG_NS + "distinctFrom"  # distinct from
    establishes = CG_NS + "establishes"  # establishes
    figureOf = CG_NS + "figureOf"  # figure of
    firstPublishedBy = CG_NS + "firstPublishedBy"  # first published by
    fundedUnder = CG_NS + "fundedUnder"  # funded under
    grantsRight = CG_NS + "grantsRight"  # grants right
    hasAward = CG_NS + "hasAward"  # has award
    hasParticipant = CG_NS + "hasParticipant"  # has participant
    heldDuring = CG_NS + "heldDuring"  # held during
    holdsLabelLevel = CG_NS + "holdsLabelLevel"  # holds label level
    holdsPostIn = CG_NS + "holdsPostIn"  # holds post in
    implementedBy = CG_NS + "implementedBy"  # implemented by
    implementsProvisionOf = CG_NS + "implementsProvisionOf"  # implements a provision of
    labelLevel = CG_NS + "labelLevel"  # label level
    measure = CG_NS + "measure"  # measure
    meetingFrequency = CG_NS + "meetingFrequency"  # meeting frequency
    memberCountry = CG_NS + "memberCountry"  # member country
    organizes = CG_NS + "organizes"  # organises
    participatesIn = CG_NS + "participatesIn"  # participates in
    partner = CG_NS + "partner"  # partner
    period = CG_NS + "period"  # period
    recognizedBy = CG_NS + "recognizedBy"  # recognised by
    representsMembersBefore = CG_NS + "representsMembersBefore"  # represents members before
    selectionMethod = CG_NS + "selectionMethod"  # selection method
    signatory = CG_NS + "signatory"  # signatory
    signed = CG_NS + "signed"  # signed
    signedAt = CG_NS + "signedAt"  # signed at
    statedAim = CG_NS + "statedAim"  # stated aim towards
    statedBy = CG_NS + "statedBy"  # stated by
    submitsProposalsTo = CG_NS + "submitsProposalsTo"  # submits proposals to
    submittedBy = CG_NS + "submittedBy"  # submitted by
    supportedBy = CG_NS + "supportedBy"  # supported by
    validDuring = CG_NS + "validDuring"  # valid during
    withholdsRight = CG_NS + "withholdsRight"  # withholds right

    # Datatype properties
    activity = CG_NS + "activity"  # activity
    aim = CG_NS + "aim"  # aim
    asOf = CG_NS + "asOf"  # as of
    composition = CG_NS + "composition"  # composition
    date = CG_NS + "date"  # date
    inferenceNote = CG_NS + "inferenceNote"  # inference note
    inferredDate = CG_NS + "inferredDate"  # inferred date
    isRenewal = CG_NS + "isRenewal"  # is renewal
    mission = CG_NS + "mission"  # mission
    searchKey = CG_NS + "searchKey"  # search key
    seedFile = CG_NS + "seedFile"  # seed file
    signatoryCount = CG_NS + "signatoryCount"  # signatory count
    theme = CG_NS + "theme"  # theme
    value = CG_NS + "value"  # value
