"""Test items for the rule families added to make the classifier generalise, written for
rarewatch in our own words (not copied from any article). Each case: (title, summary, level,
direction)."""

from __future__ import annotations

Case = tuple[str, str, str, str]

FLOWS: list[Case] = [
    (
        "World's largest cobalt mine halts output after pit flooding",
        "The operator said production at the mine, which supplies about a quarter of global "
        "cobalt, stopped on Sunday and would not restart for weeks.",
        "critical",
        "tightening",
    ),
    (
        "Miners walk off the job at platinum shafts in South Africa",
        "Workers at the three affected operations, which account for 35% of world platinum "
        "output, began the stoppage on Monday over pay.",
        "critical",
        "tightening",
    ),
    (
        "Border crossings from Myanmar closed to rare earth trucks",
        "Chinese authorities shut the main border gates with Kachin State, stranding cargoes "
        "of rare earth carbonate on the Myanmar side.",
        "critical",
        "tightening",
    ),
    (
        "Rare earth trucks cross again as Myanmar border reopens",
        "The main crossings reopened to cargoes of rare earth carbonate after three months, "
        "traders in southern China said.",
        "high",
        "easing",
    ),
    (
        "Australian nickel producer to idle its smelter amid a glut",
        "The company will shut the smelter from next quarter, blaming oversupply and weak "
        "prices for nickel.",
        "medium",
        "tightening",
    ),
    (
        "Strike at Chilean copper mine ends with a wage deal",
        "Union members voted to accept the offer, ending the strike at the mine after two weeks.",
        "medium",
        "easing",
    ),
    (
        "US rare earth miner files for bankruptcy protection",
        "The company said the mine would keep operating while it restructures its debt.",
        "medium",
        "neutral",
    ),
    (
        "Glencore plans to bring its idled cobalt mine back into production",
        "The company intends to restart the mine next year as prices recover.",
        "medium",
        "easing",
    ),
]

MEASURES: list[Case] = [
    (
        "Ban on gallium sales to American buyers suspended for a year",
        "China's commerce ministry said it would suspend, with immediate effect, the rule "
        "barring exports of gallium and germanium to the United States.",
        "critical",
        "easing",
    ),
    (
        "First graphite export licences granted under the new regime",
        "China has approved the first export licences for graphite under the licensing system "
        "that took effect in December.",
        "high",
        "easing",
    ),
    (
        "China raises the export duty on tungsten products to 20%",
        "The finance ministry will lift the export tax on some tungsten products to 20% from "
        "15% next year.",
        "high",
        "tightening",
    ),
    (
        "China to scrap export duties on rare earths",
        "The finance ministry will abolish the export duties on rare earth products from May.",
        "high",
        "easing",
    ),
    (
        "Zimbabwe bans exports of raw lithium ore",
        "The government prohibited shipments of unprocessed ore with immediate effect; "
        "concentrate producers will not be affected.",
        "high",
        "tightening",
    ),
    (
        "China cuts rare earth export quota by 60% for the second half",
        "The commerce ministry set the export quota for the rest of the year at 60% below the "
        "same period last year.",
        "critical",
        "tightening",
    ),
    (
        "China drops its export quotas on tungsten",
        "The commerce ministry has dropped export quotas on tungsten and molybdenum.",
        "high",
        "easing",
    ),
    (
        "Gallium exporters will need licences from 1 August, ministry says",
        "China's commerce ministry said exporters of gallium and germanium must apply for "
        "dual-use licences from August 1.",
        "critical",
        "tightening",
    ),
    (
        "Ministry denies an embargo, but rare earth cargoes sit at Chinese ports",
        "Customs officers have stopped clearing rare earth shipments to Japan, traders said.",
        "critical",
        "tightening",
    ),
    (
        "Leaders agree a pause; China to hold off on new mineral curbs",
        "After the summit, the White House said China would suspend the rare earth export "
        "controls it unveiled last month and issue general licences.",
        "high",
        "easing",
    ),
    (
        "Senators drop nickel ore export ban from mining bill",
        "A committee removed a clause that would have banned raw nickel ore exports from the "
        "Philippines.",
        "medium",
        "easing",
    ),
]

STATE_AND_LICENCES: list[Case] = [
    (
        "Congo raises cobalt royalty to 10% under revised mining code",
        "The government lifted the royalty on cobalt to 10% from 2% after declaring it a "
        "strategic substance.",
        "high",
        "tightening",
    ),
    (
        "Lawmakers vote to nationalise lithium in a country with no output",
        "Mexico's Congress approved the nationalisation of lithium deposits, none of which is "
        "in production.",
        "low",
        "neutral",
    ),
    (
        "Beijing merges three state rare earth groups",
        "China merged the rare earth assets of three state firms into one company controlling "
        "most heavy rare earth output.",
        "medium",
        "neutral",
    ),
    (
        "Regulator renews rare earth plant's operating licence",
        "Malaysia renewed the operating licence of the rare earth plant for three years.",
        "medium",
        "easing",
    ),
    (
        "Rare earth plant's licence renewed, but leaching must stop by July",
        "The regulator renewed the licence on condition that the plant stops processing "
        "imported feedstock.",
        "medium",
        "tightening",
    ),
    (
        "Chinese magnet permits still pending; Indian carmakers cut output",
        "Import licences sought from Chinese authorities for rare earth magnets have not been "
        "approved, suppliers said.",
        "high",
        "tightening",
    ),
]

TARIFFS_AND_TRADE: list[Case] = [
    (
        "Refined copper spared from new US duties",
        "The White House said the copper tariff would apply to semi-finished products but "
        "not to refined cathode.",
        "medium",
        "easing",
    ),
    (
        "Copper prices slump as cathode is spared from the tariff",
        "Comex copper prices fell 18% after the White House said the copper tariff would "
        "not apply to refined cathode.",
        "high",
        "easing",
    ),
    (
        "Nickel left out of the new sanctions package",
        "The EU's latest sanctions package contains no restrictions on nickel or palladium.",
        "medium",
        "easing",
    ),
    (
        "US and EU take China's graphite export curbs to the WTO",
        "The two requested consultations at the World Trade Organization over the "
        "restrictions on graphite exports.",
        "medium",
        "neutral",
    ),
    (
        "WTO finds China's rare earth export quotas breach trade rules",
        "A World Trade Organization panel ruled that the quotas on rare earth exports were "
        "inconsistent with China's commitments.",
        "medium",
        "easing",
    ),
    (
        "China will not lift gallium export controls, ministry says",
        "A spokesperson said the licensing regime for gallium exports remains in place.",
        "medium",
        "tightening",
    ),
    (
        "White House rules out tariffs on vanadium imports",
        "The president decided not to impose duties on vanadium despite a security review.",
        "medium",
        "easing",
    ),
    (
        "US-China tariff truce extended by another 90 days",
        "Washington and Beijing agreed to extend the truce on tariffs; rare earth licences "
        "were not mentioned.",
        "medium",
        "neutral",
    ),
    (
        "Two miners sign a framework to study a rare earth refinery",
        "The companies signed a non-binding framework to jointly develop a plant in Saudi "
        "Arabia with US support; no investment figure was given.",
        "low",
        "easing",
    ),
    (
        "Parliament bans uranium exploration, stalling a rare earth project",
        "Greenland passed a law banning exploration and mining of deposits rich in uranium.",
        "low",
        "tightening",
    ),
]

MARKET_SIGNALS: list[Case] = [
    (
        "State reserve to auction copper and zinc to cool prices",
        "The reserve administration will release copper and zinc from state stockpiles to "
        "manufacturers in monthly batches.",
        "high",
        "easing",
    ),
    (
        "Pentagon guarantees a floor price for US rare earth oxide",
        "The Defense Department will guarantee a minimum price for NdPr oxide produced by the "
        "company for ten years.",
        "high",
        "tightening",
    ),
    (
        "Tin jumps as Wa region orders a mining halt",
        "Authorities in the Wa region will halt mining from August, and LME tin rose 6%.",
        "high",
        "tightening",
    ),
    (
        "Cobalt slides to a four-year low",
        "Cobalt metal in Europe fell below $12 a pound as Congolese output grew.",
        "medium",
        "easing",
    ),
    (
        "Analysis: nickel market to stay in surplus until 2028",
        "New plants in Indonesia will keep the nickel market oversupplied, a consultancy said.",
        "low",
        "easing",
    ),
]

NEGATIVES: list[Case] = [
    (
        "Silicon Valley start-ups raise record sums",
        "Venture funding for chip and software companies hit a record in the quarter, "
        "investors said.",
        "none",
        "neutral",
    ),
    (
        "Airline bans lithium power banks from cabin bags",
        "Passengers may no longer carry lithium power banks on flights after a fire on board.",
        "none",
        "neutral",
    ),
    (
        "Chromium browser update fixes security flaw",
        "The open-source project shipped a patch for the browser engine.",
        "none",
        "neutral",
    ),
]

# when a measure starts, whom it covers, and controls named without the word "export"
SCHEDULE_AND_SCOPE: list[Case] = [
    (
        "Lawmakers in Jakarta approve a bill to ban bauxite exports within five years",
        "The measure would stop shipments of unprocessed bauxite once the grace period ends, "
        "to push miners to build refineries at home.",
        "medium",
        "tightening",
    ),
    (
        "Congo to ban exports of raw cobalt concentrate from 2030",
        "The mines ministry said miners must refine cobalt in the country from that date.",
        "medium",
        "tightening",
    ),
    (
        "Miner to close the world's biggest tungsten mine by year-end",
        "The company said the pit would be put on care and maintenance, taking a large share "
        "of tungsten concentrate supply off the market.",
        "high",
        "tightening",
    ),
    (
        "Beijing says its rare earth controls will be suspended for a year",
        "The commerce ministry said the measures announced last month would not be applied "
        "until next autumn.",
        "critical",
        "easing",
    ),
    (
        "China stops its gallium export curbs for a year",
        "The commerce ministry said on Friday the licensing layer added in the spring would "
        "no longer be enforced.",
        "critical",
        "easing",
    ),
    (
        "China bans germanium exports to military end users of one neighbour",
        "The commerce ministry said the ban on shipments of germanium and other dual-use items "
        "to defence buyers took effect at once.",
        "high",
        "tightening",
    ),
    (
        "India adds lithium refining technology to its export restriction list",
        "Companies that want to sell the know-how abroad will now need a licence, the trade "
        "ministry said.",
        "high",
        "tightening",
    ),
    (
        "China starts granting year-long licences for rare earth magnet exports, easing approvals",
        "Magnet makers said some customers can now receive rare earth magnets for twelve months "
        "without applying shipment by shipment.",
        "high",
        "easing",
    ),
    (
        "Tokyo sets a $900/kg floor for domestic gallium output",
        "The industry ministry will pay producers the difference when the gallium price falls "
        "below the floor.",
        "high",
        "tightening",
    ),
    (
        "Hanoi to ban exports of raw rare earth ore, minister says",
        "The minister told parliament that exports of the ore would be stopped to protect "
        "local processors, but did not say when.",
        "medium",
        "tightening",
    ),
    (
        "Pharmacists report a shortage of lithium tablets",
        "Patients on the mood stabiliser are asked to check with their prescriber, as a maker "
        "delays supplies of some strengths.",
        "none",
        "neutral",
    ),
    (
        "Leaders meet in Seoul; China to pause its new rare earth export curbs",
        "After talks on Thursday the two presidents agreed that Beijing would pause the October "
        "controls for a year.",
        "high",
        "easing",
    ),
    (
        "Washington urges Beijing to postpone its new gallium export rules",
        "Negotiators from both sides began two days of talks on Monday and no outcome was "
        "announced after the first session.",
        "medium",
        "easing",
    ),
    (
        "Candidate pledges a A$2bn fund to stockpile critical minerals",
        "The strategic reserve would buy gallium and rare earths from local producers and sell "
        "them to allies, the opposition leader said.",
        "medium",
        "tightening",
    ),
    (
        "Grocers say tinplate tariffs will push up canned food prices",
        "The levy on tin-coated steel sheet adds to costs for packaging makers, a retail group "
        "warned.",
        "none",
        "neutral",
    ),
    (
        "Duties confirmed on imported solar panels",
        "Final anti-dumping duties apply to crystalline silicon solar cells and modules from "
        "three Asian countries.",
        "none",
        "neutral",
    ),
    (
        "China cuts its rare earth export quota for the second half by nearly two thirds",
        "The commerce ministry set the allowance far below last year's level, traders said.",
        "critical",
        "tightening",
    ),
    (
        "Authorities in a Myanmar hill region to halt all tin mining from 1 May",
        "The district supplies a large part of the tin concentrate bought by Chinese smelters, "
        "according to a notice seen by traders.",
        "critical",
        "tightening",
    ),
    (
        "Ore trucks roll again over the Yunnan crossings",
        "Two border gates between China and Myanmar were reopened to rare earth cargo on "
        "Friday after weeks of closure, traders said.",
        "high",
        "easing",
    ),
    (
        "Cobalt export quotas: a win for Congo or a gift to rivals?",
        "Congo halted cobalt exports for months and then capped them with quotas; shipments "
        "collapsed and prices doubled, but smuggling has grown.",
        "low",
        "tightening",
    ),
    (
        "Chinese magnet exports to Europe fell 80% in April, customs data show",
        "Shipments of rare earth permanent magnets dropped for a second month as exporters "
        "waited for licences.",
        "high",
        "tightening",
    ),
    (
        "State reserve said to buy nickel as prices sag",
        "The national reserve bureau plans to add nickel to its stockpile, traders familiar "
        "with the matter said.",
        "medium",
        "tightening",
    ),
]

GENERAL: dict[str, list[Case]] = {
    "flows": FLOWS,
    "measures": MEASURES,
    "state_and_licences": STATE_AND_LICENCES,
    "tariffs_and_trade": TARIFFS_AND_TRADE,
    "market_signals": MARKET_SIGNALS,
    "general_negatives": NEGATIVES,
    "schedule_and_scope": SCHEDULE_AND_SCOPE,
}
