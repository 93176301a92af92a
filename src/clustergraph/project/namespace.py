"""The closed ``cg:`` namespace of the clustergraph ontology.

Generated from ontology/clustergraph.ttl by ``python -m clustergraph.project.codegen``: do not edit.

Examples
--------
>>> str(ID["cluster/medicon-valley"])
'https://w3id.org/clustergraph/id/cluster/medicon-valley'
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ID = Namespace("https://w3id.org/clustergraph/id/")
"""Namespace of entity IRIs: ``ID["<kind>/<slug>"]``."""


class CG(DefinedNamespace):
    """Terms of the clustergraph ontology; unknown names raise AttributeError."""

    _NS = Namespace("https://w3id.org/clustergraph/ontology#")
    _fail = True

    # Classes
    Agency: URIRef  # agency
    Agreement: URIRef  # agreement
    Announcement: URIRef  # announcement
    Association: URIRef  # association
    Cluster: URIRef  # cluster
    ClusterAlliance: URIRef  # cluster alliance
    ClusterNetwork: URIRef  # cluster network
    Company: URIRef  # company
    Comparator: URIRef  # comparator
    Conference: URIRef  # conference
    Consortium: URIRef  # consortium
    EUInstitution: URIRef  # EU institution
    Event: URIRef  # event
    EventSeries: URIRef  # event series
    ExcellenceLabelAward: URIRef  # excellence label award
    ExecutiveBoard: URIRef  # executive board
    Figure: URIRef  # figure
    Forecast: URIRef  # forecast
    Forum: URIRef  # forum
    FoundingAgreement: URIRef  # founding agreement
    Frequency: URIRef  # frequency
    FundingProgramme: URIRef  # funding programme
    GeneralAssembly: URIRef  # general assembly
    GoodPracticeDescription: URIRef  # good practice description
    GovernanceBody: URIRef  # governance body
    GovernmentBody: URIRef  # government body
    JointInitiative: URIRef  # joint initiative
    LabelLevel: URIRef  # label level
    LegalForm: URIRef  # legal form
    LetterOfIntent: URIRef  # letter of intent
    Measure: URIRef  # measure
    MemberRole: URIRef  # member role
    Membership: URIRef  # membership
    Memorandum: URIRef  # memorandum
    Ministry: URIRef  # ministry
    NewsArticle: URIRef  # news article
    Order: URIRef  # order
    Parliament: URIRef  # parliament
    Platform: URIRef  # platform
    Post: URIRef  # post
    PostRole: URIRef  # post role
    ProfilePage: URIRef  # profile page
    Project: URIRef  # project
    PublicInstitution: URIRef  # public institution
    ResearchInstitution: URIRef  # research institution
    Right: URIRef  # right
    Sector: URIRef  # sector
    SelectionMethod: URIRef  # selection method
    Source: URIRef  # source
    SourceGraph: URIRef  # source graph
    WorkingGroup: URIRef  # working group

    # Object properties
    approvedBy: URIRef  # approved by
    awardedBy: URIRef  # awarded by
    awardedTo: URIRef  # awarded to
    comparator: URIRef  # comparator
    coordinatedBy: URIRef  # coordinated by
    coordinates: URIRef  # coordinates
    country: URIRef  # country
    establishes: URIRef  # establishes
    figureOf: URIRef  # figure of
    firstPublishedBy: URIRef  # first published by
    fundedUnder: URIRef  # funded under
    grantsRight: URIRef  # grants right
    hasAward: URIRef  # has award
    hasParticipant: URIRef  # has participant
    heldDuring: URIRef  # held during
    holdsLabelLevel: URIRef  # holds label level
    holdsPostIn: URIRef  # holds post in
    implementedBy: URIRef  # implemented by
    implementsProvisionOf: URIRef  # implements a provision of
    labelLevel: URIRef  # label level
    measure: URIRef  # measure
    meetingFrequency: URIRef  # meeting frequency
    memberCountry: URIRef  # member country
    organizes: URIRef  # organises
    participatesIn: URIRef  # participates in
    partner: URIRef  # partner
    period: URIRef  # period
    recognizedBy: URIRef  # recognised by
    representsMembersBefore: URIRef  # represents members before
    selectionMethod: URIRef  # selection method
    signatory: URIRef  # signatory
    signed: URIRef  # signed
    signedAt: URIRef  # signed at
    statedBy: URIRef  # stated by
    submittedBy: URIRef  # submitted by
    supportedBy: URIRef  # supported by
    validDuring: URIRef  # valid during
    withholdsRight: URIRef  # withholds right

    # Datatype properties
    activity: URIRef  # activity
    aim: URIRef  # aim
    asOf: URIRef  # as of
    composition: URIRef  # composition
    date: URIRef  # date
    inferenceNote: URIRef  # inference note
    inferredDate: URIRef  # inferred date
    isRenewal: URIRef  # is renewal
    mission: URIRef  # mission
    seedFile: URIRef  # seed file
    signatoryCount: URIRef  # signatory count
    theme: URIRef  # theme
    value: URIRef  # value
