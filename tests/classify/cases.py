"""Test items written for rarewatch in our own words (not copied from any article), grouped by
the rule family they exercise. Each case: (title, summary, level, direction)."""

from __future__ import annotations

from .cases_general import GENERAL

Case = tuple[str, str, str, str]

EXPORT_CONTROLS: list[Case] = [
    (
        "Beijing to require export permits for graphite from December",
        "Exporters of several graphite products will need a permit from the commerce ministry from "
        "1 December, the government said, citing national security.",
        "critical",
        "tightening",
    ),
    (
        "Indonesia halts shipments of raw nickel ore",
        "Indonesia stopped all exports of unprocessed nickel ore with immediate effect on Tuesday, "
        "the mining ministry said, cutting off the largest supplier of the ore.",
        "critical",
        "tightening",
    ),
    (
        "China puts five more rare earths on its export control list",
        "The commerce ministry on Thursday added holmium, erbium and thulium, among others, to the "
        "dual-use control list; exporters need a licence from 8 November.",
        "critical",
        "tightening",
    ),
    (
        "China suspends its ban on gallium and germanium sales to the United States",
        "The commerce ministry said it would suspend until next year the ban on shipments of "
        "gallium, germanium and antimony to American buyers that it imposed last winter.",
        "critical",
        "easing",
    ),
    (
        "Kinshasa lifts cobalt export halt and moves to quotas",
        "Congo will allow cobalt exports to restart next month under annual quotas, the regulator "
        "said, ending a suspension that had lasted most of the year.",
        "critical",
        "easing",
    ),
    (
        "China resumes gallium exports after a two-month halt",
        "Chinese customs cleared the first gallium cargoes since the summer as exporters received "
        "their permits, traders said.",
        "critical",
        "easing",
    ),
    (
        "Congo prolongs its suspension of cobalt exports by three months",
        "The regulator extended the halt on cobalt shipments to the end of the year, keeping the "
        "world's main supply off the market for longer.",
        "high",
        "tightening",
    ),
    (
        "China bans the export of magnet-making technology",
        "Beijing added technology used to make rare earth magnets and to separate the elements to "
        "its catalogue of items banned from export.",
        "high",
        "tightening",
    ),
    (
        "Malaysia bans exports of unprocessed rare earth ore",
        "Malaysia will stop the export of raw rare earth material to keep processing at home, the "
        "prime minister said.",
        "high",
        "tightening",
    ),
]

HEDGED: list[Case] = [
    (
        "Vietnam is considering a ban on rare earth ore exports",
        "Officials are weighing curbs on shipments of unprocessed rare earth ore, according to a "
        "draft decree seen by reporters.",
        "medium",
        "tightening",
    ),
    (
        "China denies plans to restrict antimony exports further",
        "The commerce ministry denied reports that it would tighten antimony export rules, calling "
        "them groundless.",
        "low",
        "neutral",
    ),
    (
        "US proposes tariffs on Chinese graphite anodes",
        "The trade representative proposed duties of 25% on graphite anode material from China and "
        "opened a public comment period.",
        "medium",
        "tightening",
    ),
    (
        "Zimbabwe lithium export ban under review, says minister",
        "The ban on lithium concentrate exports is under review, the mines minister told "
        "lawmakers, without giving further details.",
        "medium",
        "neutral",
    ),
    # a modal before "be"/"been": a possibility, not a lifting or a halt
    (
        "Gallium export ban may be lifted next year, traders say",
        "Analysts said the curbs on gallium shipments could be eased if talks progress.",
        "medium",
        "easing",
    ),
    (
        "Cobalt shipments from Congo could be halted again",
        "The regulator said a new suspension of cobalt exports was one of several options.",
        "medium",
        "tightening",
    ),
    # ... but reported speech is the producer's own word
    (
        "Gallium export ban will be lifted next week, China says",
        "The commerce ministry said the ban on gallium exports to the United States would be "
        "suspended from 10 November.",
        "critical",
        "easing",
    ),
]

TRADE: list[Case] = [
    (
        "Washington slaps 25% tariff on Chinese permanent magnets",
        "The administration imposed a 25% tariff on imports of rare earth magnets from China, "
        "effective next month.",
        "high",
        "tightening",
    ),
    (
        "US exempts critical minerals from new reciprocal tariffs",
        "Cobalt, lithium and rare earths were left off the tariff list, giving importers relief.",
        "medium",
        "easing",
    ),
    (
        "US and China agree a 90-day tariff truce after Geneva talks",
        "Both sides will cut tariffs sharply for three months while negotiations continue, the "
        "two governments said in a joint statement.",
        "high",
        "easing",
    ),
    (
        "US and Chinese negotiators open a new round of trade talks in Madrid",
        "Delegations led by the two countries' trade chiefs met on Sunday; no agenda was released.",
        "medium",
        "neutral",
    ),
    (
        "China grants rare earth magnet export licences to European suppliers",
        "Several suppliers to European carmakers received licences to ship rare earth magnets, "
        "people familiar with the approvals said.",
        "high",
        "easing",
    ),
    (
        "Washington adds Chinese rare earth processors to entity list",
        "The Commerce Department put six Chinese rare earth refiners under sanctions, barring US "
        "firms from supplying them.",
        "high",
        "tightening",
    ),
]

SUPPLY: list[Case] = [
    (
        "Glencore halts operations at a major Congolese cobalt mine",
        "The miner suspended production at the site after a collapse, removing a large share of "
        "cobalt output.",
        "high",
        "tightening",
    ),
    (
        "European carmakers warn of production halts as magnet shortage bites",
        "Parts makers say stocks of rare earth magnets will run out within weeks.",
        "high",
        "tightening",
    ),
    (
        "China's rare earth magnet exports plunge 70% in May",
        "Customs figures showed magnet shipments collapsed after the licensing rules began.",
        "high",
        "tightening",
    ),
    (
        "Myanmar rare earth mines to restart after border reopens",
        "Operators in Kachin expect to resume mining next month as trade routes reopen.",
        "medium",
        "easing",
    ),
    (
        "Chinese rare earth exports rose 12% in March, customs data show",
        "Shipments of rare earths rose for a second month.",
        "medium",
        "easing",
    ),
    (
        "Pentagon agrees a price floor for MP Materials' rare earth output",
        "The Defense Department will guarantee a minimum price for NdPr oxide and take an equity "
        "stake in the magnet maker.",
        "high",
        "tightening",
    ),
]

MARKET: list[Case] = [
    (
        "Germanium prices hit a record in Rotterdam",
        "Germanium prices climbed to an all-time high as buyers outside China competed for metal.",
        "medium",
        "tightening",
    ),
    (
        "Cobalt prices slide to five-year low as supply glut persists",
        "Cobalt prices fell again this week on rising output from new mines.",
        "medium",
        "easing",
    ),
    (
        "Lynas wins a $258 million contract for a Texas heavy rare earth plant",
        "The contract with the US Defense Department will fund a processing plant for "
        "dysprosium and terbium.",
        "medium",
        "easing",
    ),
    (
        "China raises first-batch rare earth mining quota by 10%",
        "The industry ministry set the first batch of rare earth mining quotas 10% higher than a "
        "year earlier.",
        "medium",
        "easing",
    ),
]

BACKGROUND: list[Case] = [
    (
        "Opinion: the West must stop relying on Chinese rare earths",
        "Dependence on one supplier of rare earths leaves manufacturers exposed, and policy makers "
        "should act.",
        "low",
        "neutral",
    ),
    (
        "Junior miner completes drilling at Australian lithium prospect",
        "The company reported assays from its first drilling campaign and plans a scoping study.",
        "low",
        "neutral",
    ),
    (
        "Panel: navigating critical mineral supply chains",
        "Join our webinar with industry experts on critical minerals supply chain risks.",
        "low",
        "neutral",
    ),
]

HARD_NEGATIVES: list[Case] = [
    (
        "Lithium levels should be checked often in older patients, study says",
        "Doctors treating bipolar disorder should monitor the dose and kidney function.",
        "none",
        "neutral",
    ),
    (
        "New Cobalt Strike loader found in phishing campaign",
        "Researchers say the attackers used Cobalt Strike beacons to move across the network.",
        "none",
        "neutral",
    ),
    (
        "Saxophonist of Motown band Rare Earth dies",
        "The musician played on the band's best-known album and toured for decades.",
        "none",
        "neutral",
    ),
    (
        "The Rare Earth hypothesis, revisited",
        "Is complex life on other planets unlikely? Astrobiologists disagree.",
        "none",
        "neutral",
    ),
    (
        "Try the gallium spoon trick at your next party",
        "Gallium melts in your hand, so a spoon made of it bends and drips in hot tea.",
        "none",
        "neutral",
    ),
    (
        "Trump imposes 25% tariffs on imported cars",
        "The tariffs apply to cars and light trucks built abroad from next month.",
        "none",
        "neutral",
    ),
    (
        "India bans rice exports to keep domestic prices down",
        "The government stopped shipments of non-basmati rice after a weak monsoon.",
        "none",
        "neutral",
    ),
    (
        "EU extends steel import quotas for two more years",
        "The safeguard quotas on steel imports will stay in place.",
        "none",
        "neutral",
    ),
    (
        "Is mineral water better for you than tap water?",
        "Mineral water contains calcium and magnesium, which some drinkers like.",
        "none",
        "neutral",
    ),
    (
        "Bitcoin mining difficulty climbs to a new high",
        "Miners added computing power as the hashrate rose.",
        "none",
        "neutral",
    ),
    (
        "Rare disease patients face drug shortages",
        "Families say supplies of orphan drugs have run out at several hospitals.",
        "none",
        "neutral",
    ),
    (
        "A 1913 Liberty Nickel sells for millions at auction",
        "Rare coins drew record bids from collectors.",
        "none",
        "neutral",
    ),
    (
        "Indonesia raises its palm oil export levy",
        "The levy on crude palm oil exports rises next month.",
        "none",
        "neutral",
    ),
]


# More items across all families, written for these tests (regression set).
MIXED: list[Case] = [
    (
        "Beijing slaps licensing requirement on antimony shipments",
        "From September 15, overseas sales of antimony ores, metal and oxides will need "
        "approval from the Ministry of Commerce, the ministry and customs administration "
        "said in a joint notice.",
        "critical",
        "tightening",
    ),
    (
        "China curbs exports of key battery material graphite",
        "China will require export permits for some graphite products to protect national"
        " security, the commerce ministry said on Friday, in the latest move to control "
        "supplies of critical minerals.",
        "critical",
        "tightening",
    ),
    (
        "Ford idles Explorer plant due to rare earth shortage",
        "Ford shut its Chicago assembly plant for a week because of a shortage of rare "
        "earth magnets, the company said.",
        "high",
        "tightening",
    ),
    (
        "Nickel jumps 10% as Indonesia mulls tighter ore quotas",
        "Nickel prices on the LME rose sharply after officials in Jakarta said they are "
        "considering cutting mining quotas.",
        "medium",
        "tightening",
    ),
    (
        "Lithium miner Pilbara Minerals slashes production guidance as prices sag",
        "Pilbara Minerals said it would reduce spodumene output at its Pilgangoora "
        "operation after lithium prices dropped to a three-year low.",
        "medium",
        "tightening",
    ),
    (
        "Tungsten market update: APT prices steady in quiet trade",
        "Ammonium paratungstate prices were unchanged this week as buyers stayed on the sidelines.",
        "low",
        "neutral",
    ),
    (
        "US Interior Department finalizes 2025 critical minerals list",
        "The Interior Department published its final list of 60 critical minerals, adding"
        " copper, silver and metallurgical coal.",
        "medium",
        "neutral",
    ),
    (
        "Trump signs order to speed up permits for domestic mines",
        "President Trump signed an executive order to fast-track permits for mining "
        "projects for critical minerals on federal land.",
        "medium",
        "easing",
    ),
    (
        "Australia to build critical minerals strategic reserve worth A$1.2 billion",
        "The government will set up a strategic reserve that can buy and sell critical "
        "minerals, starting with rare earths.",
        "high",
        "tightening",
    ),
    (
        "China's gallium exports fall to zero in August after controls",
        "China exported no gallium or germanium in August, customs data showed, the first"
        " full month after export permits took effect.",
        "high",
        "tightening",
    ),
    (
        "Rare earths: why Beijing holds the cards",
        "An explainer on how China came to dominate rare earth mining and processing, and"
        " what it means for magnet buyers.",
        "low",
        "neutral",
    ),
    (
        "US and Ukraine sign minerals deal",
        "The United States and Ukraine signed an agreement giving US companies access to "
        "Ukrainian critical minerals, including lithium and titanium, through a joint "
        "investment fund.",
        "medium",
        "easing",
    ),
    (
        "Iluka receives A$1.65 billion loan for Eneabba rare earths refinery",
        "The government loan will fund construction of the refinery, due to start in 2027.",
        "medium",
        "easing",
    ),
    (
        "Bolivia signs lithium deal with Russian firm",
        "Bolivia signed a $970 million contract with Uranium One to build a lithium "
        "carbonate plant.",
        "medium",
        "easing",
    ),
    (
        "Cobalt price soars 50% since Congo export ban",
        "Cobalt hydroxide prices have climbed 50% since the DRC suspended exports in February.",
        "medium",
        "tightening",
    ),
    (
        "Chile's Codelco posts lower copper output in first half",
        "Codelco produced 2% less copper in January to June than a year earlier.",
        "medium",
        "tightening",
    ),
    (
        "Webinar recap: the future of battery metals",
        "Our speakers discussed lithium, nickel and cobalt demand out to 2040.",
        "low",
        "neutral",
    ),
    (
        "Vulcan Energy completes definitive feasibility study for lithium project",
        "The DFS shows a net present value of EUR 3.6 billion for the Lionheart project.",
        "low",
        "neutral",
    ),
    (
        "Chinese customs crack down on rare earth smuggling",
        "Authorities launched a campaign against the smuggling of strategic minerals, "
        "including rare earths, the commerce ministry said.",
        "medium",
        "tightening",
    ),
    (
        "US bars imports of Russian aluminium, copper and nickel",
        "The United States and Britain banned the delivery of new Russian aluminium, "
        "copper and nickel to the LME and CME.",
        "high",
        "tightening",
    ),
    (
        "Philippines considers ban on nickel ore exports",
        "Lawmakers passed a bill that would ban raw nickel ore exports within five years;"
        " the president has not signed it.",
        "medium",
        "tightening",
    ),
    (
        "China reports record rare earth magnet exports in 2024",
        "China exported a record 58,000 tons of rare earth magnets last year, customs data show.",
        "medium",
        "easing",
    ),
    (
        "How to clean copper pots with vinegar",
        "Copper pots look great but tarnish quickly; here is how to restore the shine.",
        "none",
        "neutral",
    ),
    (
        "Tesla's new Model Y uses less nickel",
        "Tesla said its new battery chemistry cuts nickel use.",
        "low",
        "neutral",
    ),
    (
        "Best tungsten rings for men in 2025",
        "Our guide to durable tungsten wedding bands.",
        "none",
        "neutral",
    ),
    (
        "Oil prices fall as OPEC raises output",
        "Crude prices dropped after the producer group agreed to raise output.",
        "none",
        "neutral",
    ),
    (
        "Russia bans gasoline exports to stabilise domestic market",
        "The government banned exports of gasoline until the end of the month.",
        "none",
        "neutral",
    ),
    (
        "Lithium stocks rally on hopes of supply cuts",
        "Shares of lithium producers rose after reports that CATL may halt a mine in Yichun.",
        "medium",
        "tightening",
    ),
    (
        "CATL suspends Jianxiawo lithium mine after licence expires",
        "CATL halted mining at its lepidolite mine in Yichun after its permit expired, "
        "removing about 3% of global lithium supply.",
        "high",
        "tightening",
    ),
    (
        "China says it will approve rare earth export licences faster",
        "The commerce ministry pledged to speed up the review of compliant applications "
        "for rare earth exports.",
        "medium",
        "easing",
    ),
    (
        "US Commerce opens Section 232 probe into processed critical minerals",
        "The investigation could lead to tariffs on imports of critical minerals and "
        "their derivative products.",
        "medium",
        "tightening",
    ),
    (
        "Graphite anode duties finalised at 93.5%",
        "The Commerce Department issued its final determination, confirming antidumping "
        "duties on Chinese active anode material.",
        "high",
        "tightening",
    ),
    (
        "Saudi Arabia's Maaden signs MoU with MP Materials on rare earths",
        "The two companies will study a joint processing plant in the kingdom.",
        "low",
        "easing",
    ),
    (
        "Notice of Proposed Rulemaking: Addition of Certain Entities to the Entity List",
        "The Bureau of Industry and Security proposes to add entities in China involved "
        "in rare earth magnet production to the Entity List. Comments are due within 30 "
        "days.",
        "medium",
        "tightening",
    ),
    (
        "Announcement No. 61 of 2025 on implementing export control on rare earth related"
        " technologies",
        "In accordance with the Export Control Law, the Ministry of Commerce decided to "
        "implement export control on rare earth mining, smelting and separation "
        "technologies. This announcement takes effect from the date of publication.",
        "high",
        "tightening",
    ),
    (
        "MP Materials Announces Transformational Public-Private Partnership with the "
        "Department of Defense",
        "MP Materials today announced a multi-billion dollar partnership with the DoD, "
        "including a 10-year price floor commitment of $110 per kilogram for NdPr "
        "products and a $400 million equity investment.",
        "high",
        "tightening",
    ),
    (
        "Rare earth magnet prices in Europe triple as supplies dry up",
        "European prices for dysprosium oxide have tripled since April, traders said, as "
        "Chinese export licences remain scarce.",
        "medium",
        "tightening",
    ),
    (
        "Lynas produces first heavy rare earths outside China",
        "Lynas Rare Earths said it produced dysprosium oxide at its Malaysian plant, the "
        "first separated heavy rare earth made outside China.",
        "medium",
        "easing",
    ),
    (
        "China's October rare earth exports jump as licences flow",
        "Exports of rare earth magnets rose 20% in October from the month before, customs"
        " data showed, after Beijing approved more general licences.",
        "medium",
        "easing",
    ),
    (
        "Indonesia plans export duty on nickel pig iron",
        "Indonesia's government plans to impose an export tax on nickel pig iron and "
        "ferronickel, a senior official said, without giving a timeline.",
        "medium",
        "tightening",
    ),
    (
        "Zambia copper output rises 15% as new mines ramp up",
        "Zambia's copper production increased 15% in the first half, the mines ministry said.",
        "medium",
        "easing",
    ),
    (
        "Kazakhstan discovers large rare earth deposit",
        "Geologists found a deposit that could hold 20 million tonnes of rare earth ore, "
        "the industry ministry said; exploration will continue.",
        "low",
        "neutral",
    ),
    (
        "Chile's lithium strategy: state to take majority stakes",
        "President Boric said the state would take control of lithium projects through "
        "majority stakes in new contracts.",
        "medium",
        "tightening",
    ),
    (
        "US Senate passes bill to build critical minerals stockpile",
        "The Senate approved a bill creating a $2.5 billion strategic reserve for "
        "critical minerals, which now goes to the House.",
        "high",
        "tightening",
    ),
    (
        "Vietnam's rare earth ambitions face long road",
        "Vietnam holds the world's second-largest rare earth reserves, but mining has "
        "barely begun, analysts say.",
        "low",
        "neutral",
    ),
    (
        "DRC and Rwanda sign peace deal; minerals at stake",
        "The two countries signed a US-brokered peace agreement that could open eastern "
        "Congo's tin, tantalum and tungsten to US investors.",
        "medium",
        "easing",
    ),
    (
        "Shares of rare earth miners surge after China tightens controls",
        "Shares of MP Materials and Lynas rose more than 10% after Beijing expanded its "
        "export controls.",
        "medium",
        "tightening",
    ),
    (
        "EU imposes anti-dumping duties on Chinese rare earth magnets? Not yet, says Commission",
        "The Commission denied reports that it had decided to impose provisional duties "
        "on magnets from China.",
        "low",
        "neutral",
    ),
    (
        "Japanese trading houses to buy Australian rare earths under new offtake",
        "Sojitz and JOGMEC agreed an offtake for heavy rare earths from Lynas' Malaysian plant.",
        "medium",
        "easing",
    ),
    (
        "Beijing halts approval of rare earth export licences to defence contractors",
        "China's commerce ministry will no longer issue licences to exporters supplying "
        "US defence companies, sources said.",
        "high",
        "tightening",
    ),
    (
        "Germany's Bundeswehr faces tungsten shortage",
        "German arms makers warn that a shortage of tungsten could slow production of ammunition.",
        "high",
        "tightening",
    ),
    (
        "Cobalt market: Congo quota allocations leave traders guessing",
        "Traders said the allocation of export quotas among miners remains unclear.",
        "medium",
        "neutral",
    ),
    (
        "Bitcoin miners flock to Paraguay for cheap hydropower",
        "Crypto miners are building data centers near the Itaipu dam.",
        "none",
        "neutral",
    ),
    (
        "Cobalt blue: the history of a pigment",
        "Cobalt blue was prized by painters for centuries.",
        "none",
        "neutral",
    ),
    (
        "South Korea to stockpile more rare earths",
        "Korea's state procurement agency will raise its rare earth stockpile to 100 days"
        " of demand.",
        "high",
        "tightening",
    ),
    (
        "Australia offers A$4 billion for critical minerals projects",
        "The government's Critical Minerals Facility will lend A$4 billion to new projects.",
        "medium",
        "easing",
    ),
    (
        "Steel and aluminum tariffs doubled to 50%",
        "President Trump raised tariffs on steel and aluminum imports to 50% from 25%.",
        "high",
        "tightening",
    ),
    (
        "China warns it will retaliate against US chip curbs",
        "Beijing said it would take countermeasures after Washington widened restrictions"
        " on chip exports; analysts said rare earths could be targeted.",
        "medium",
        "tightening",
    ),
    (
        "China to restrict exports of antimony from September 15",
        "China will impose export restrictions on antimony and antimony products from "
        "Sept. 15, the commerce ministry said on Thursday, the latest in a string of "
        "measures targeting critical minerals.",
        "critical",
        "tightening",
    ),
    (
        "China tightens rare earth export rules, adds five elements and technologies",
        "China on Thursday dramatically expanded its rare earths export controls, adding "
        "five new elements and extra scrutiny for semiconductor users, as Beijing "
        "tightens its grip on the sector ahead of talks with the US.",
        "critical",
        "tightening",
    ),
    (
        "China suspends sweeping rare earth export controls for one year",
        "China's commerce ministry said on Friday it would suspend the export control "
        "measures announced on October 9 until November 10, 2026, following the meeting "
        "between President Xi Jinping and President Donald Trump in Busan.",
        "critical",
        "easing",
    ),
    (
        "U.S., China agree to slash tariffs for 90 days in Geneva breakthrough",
        "The United States and China agreed on Monday to temporarily cut reciprocal "
        "tariffs, with the US reducing its levies on Chinese goods to 30% and China "
        "cutting duties on US imports to 10%.",
        "high",
        "easing",
    ),
    (
        "Trump exempts refined copper from 50% tariff, Comex prices tumble",
        "US copper futures fell more than 19% after the White House said refined copper "
        "would be exempt from the 50% tariff, which will apply only to semi-finished "
        "products.",
        "high",
        "easing",
    ),
    (
        "Pentagon becomes MP Materials' largest shareholder in rare earth magnet deal",
        "The Department of Defense will buy $400 million of MP Materials preferred stock "
        "and guarantee a floor price of $110/kg for its NdPr output for 10 years.",
        "high",
        "tightening",
    ),
    (
        "US and Australia sign critical minerals framework worth $8.5 billion",
        "President Trump and Prime Minister Albanese signed an agreement to expand "
        "critical minerals and rare earth projects, pledging $1 billion each over six "
        "months.",
        "high",
        "easing",
    ),
    (
        "Chile to nationalise lithium industry",
        "President Gabriel Boric announced plans to nationalise the country's lithium "
        "industry, with the state to take a controlling stake in new projects.",
        "medium",
        "tightening",
    ),
    (
        "CATL halts mining at Yichun lithium site after permit expires",
        "Chinese battery giant CATL has suspended production at its Jianxiawo lepidolite "
        "mine in Jiangxi after its mining licence expired on August 9, sources said.",
        "high",
        "tightening",
    ),
    (
        "Lithium prices jump as CATL mine closure stokes supply fears",
        "Lithium carbonate futures in Guangzhou rose by the daily limit on Monday after "
        "CATL halted operations at a major mine.",
        "medium",
        "tightening",
    ),
    (
        "Germanium prices in Europe climb to record after China's export curbs",
        "Prices of germanium in Rotterdam have more than doubled this year to a record, "
        "as Chinese export restrictions choke supplies.",
        "medium",
        "tightening",
    ),
    (
        "China's rare earth exports fall 16% in April as new curbs bite",
        "Exports of rare earths from China fell 15.6% in April from March, customs data "
        "showed, after Beijing added seven elements to its export control list.",
        "medium",
        "tightening",
    ),
    (
        "China's rare earth magnet exports rebound in June as licences approved",
        "China's exports of rare earth magnets rose 158% in June from May, customs data "
        "showed, as Beijing began granting licences.",
        "medium",
        "easing",
    ),
    (
        "Ford halts Explorer production over rare earth magnet shortage",
        "Ford said it shut its Chicago Explorer plant for a week in May because of a "
        "shortage of rare earth magnets caused by China's export restrictions.",
        "high",
        "tightening",
    ),
    (
        "Lynas becomes first to produce dysprosium outside China",
        "Australia's Lynas Rare Earths said its Malaysia plant produced the first "
        "separated dysprosium oxide outside China, a milestone for supply "
        "diversification.",
        "medium",
        "easing",
    ),
    (
        "US launches Section 232 investigation into processed critical minerals imports",
        "President Trump ordered the Commerce Department to launch a national security "
        "probe into imports of processed critical minerals, a step that could lead to "
        "tariffs.",
        "medium",
        "tightening",
    ),
    (
        "US Ukraine minerals deal signed after months of wrangling",
        "The United States and Ukraine signed a deal on Wednesday that gives the US "
        "preferential access to new Ukrainian minerals deals and funds investment in "
        "reconstruction.",
        "medium",
        "easing",
    ),
    (
        "Indonesia bans nickel ore exports from January 2020",
        "Indonesia will ban exports of nickel ore from January 1, 2020, two years earlier"
        " than planned, the energy and mineral resources ministry said.",
        "critical",
        "tightening",
    ),
    (
        "Rare earths stocks soar as China escalates trade war",
        "Shares in US rare earth miners jumped after Beijing unveiled new export controls.",
        "medium",
        "tightening",
    ),
    (
        "USGS: US relied on imports for 100% of 12 critical minerals in 2024",
        "The annual Mineral Commodity Summaries show the US was fully import-reliant for "
        "12 minerals including gallium and graphite.",
        "low",
        "neutral",
    ),
    (
        "Rare earth prices edge up in quiet trading",
        "Prices of NdPr oxide in China rose slightly this week amid thin trading.",
        "medium",
        "tightening",
    ),
    (
        "Cobalt Strike beacon hunting with Sysmon",
        "A guide to detecting Cobalt Strike beacons on Windows endpoints.",
        "none",
        "neutral",
    ),
    (
        "Lithium for bipolar disorder: what patients should know",
        "Lithium remains a first-line mood stabiliser, but blood levels must be monitored.",
        "none",
        "neutral",
    ),
    (
        "EU bans Russian steel slab imports from 2028",
        "The EU will ban imports of Russian steel semi-finished products in its latest "
        "sanctions package.",
        "none",
        "neutral",
    ),
    (
        "Indonesia bans coal exports in January to avoid power shortage",
        "Indonesia banned coal exports for January to secure supply for domestic power plants.",
        "none",
        "neutral",
    ),
    (
        "Malaysia extends palm oil export duty cut",
        "Malaysia will keep its lower export duty on crude palm oil through next month.",
        "none",
        "neutral",
    ),
    (
        "Tungsten cube craze: why people buy heavy metal blocks",
        "The tungsten cube became a meme among crypto traders.",
        "none",
        "neutral",
    ),
    (
        "Rare earth magnet toys recalled over swallowing risk",
        "The regulator recalled magnet sets sold online after children swallowed them.",
        "none",
        "neutral",
    ),
    (
        "Energy Fuels begins producing dysprosium oxide at White Mesa",
        "Energy Fuels said on Tuesday it had started pilot production of dysprosium oxide"
        " at its Utah mill and plans commercial output of heavy rare earths by late 2026.",
        "medium",
        "easing",
    ),
    (
        "Niron Magnetics raises $150 million for rare earth-free magnet plant",
        "The Minnesota start-up said the funding will help it build a factory making iron"
        " nitride magnets that need no rare earths.",
        "medium",
        "easing",
    ),
    (
        "Rio Tinto completes acquisition of Arcadium Lithium",
        "Rio Tinto closed its $6.7 billion purchase of Arcadium Lithium, becoming a top "
        "lithium producer.",
        "low",
        "neutral",
    ),
    (
        "Albemarle reports second-quarter results",
        "Albemarle posted quarterly net sales of $1.3 billion and kept its full-year "
        "outlook unchanged.",
        "low",
        "neutral",
    ),
    (
        "Lithium price rebound leaves analysts divided",
        "Lithium carbonate prices have risen 30% from their June low, but analysts "
        "disagree on whether the recovery will last.",
        "medium",
        "tightening",
    ),
    (
        "Japan, US sign critical minerals agreement",
        "Japan and the United States signed a deal to strengthen supply chains for "
        "critical minerals used in electric vehicle batteries, the first such pact under "
        "the IRA.",
        "medium",
        "easing",
    ),
    (
        "Beijing's rare earth grip: a primer",
        "Everything you need to know about China's dominance of rare earth mining and processing.",
        "low",
        "neutral",
    ),
    (
        "Chinese customs data show gallium exports resumed in October",
        "China exported 3.2 tonnes of gallium in October, the first shipments since "
        "Beijing's licensing rules took effect, customs data showed.",
        "medium",
        "easing",
    ),
    (
        "DLA issues solicitation to buy scandium for national stockpile",
        "The Defense Logistics Agency said it wants to buy up to 7.5 tonnes of scandium "
        "oxide over five years for the National Defense Stockpile.",
        "high",
        "tightening",
    ),
    (
        "Myanmar rebels seize rare earth mining hub near Chinese border",
        "The Kachin Independence Army captured Pangwa, a key rare earth mining town, "
        "raising concerns about supplies of heavy rare earths to China.",
        "high",
        "tightening",
    ),
    (
        "Tungsten prices climb as Chinese quota cut bites",
        "APT prices rose 8% this week after China cut its first-batch tungsten mining "
        "quota by 6.5%.",
        "medium",
        "tightening",
    ),
    (
        "Nickel slumps to four-year low as Indonesian supply floods market",
        "LME nickel fell to its lowest since 2020 as output from Indonesian smelters surged.",
        "medium",
        "easing",
    ),
    (
        "EU adopts Critical Raw Materials Act",
        "The Council gave final approval to the Critical Raw Materials Act, which sets "
        "targets for domestic extraction, processing and recycling by 2030.",
        "medium",
        "easing",
    ),
    (
        "Why copper is the new oil",
        "Analysts argue copper's role in electrification makes it the most strategic "
        "commodity of the decade.",
        "low",
        "neutral",
    ),
    (
        "Glencore to close Mount Isa copper smelter",
        "Glencore said it will shut its Mount Isa copper smelter in Queensland next year,"
        " citing high costs.",
        "high",
        "tightening",
    ),
    (
        "US lifts sanctions on Russian aluminium giant Rusal",
        "The Treasury removed Rusal and En+ from its sanctions list after Oleg Deripaska "
        "reduced his stake.",
        "high",
        "easing",
    ),
    (
        "India restricts rare earth exports to Japan to meet domestic needs",
        "India asked state-owned IREL to suspend a 13-year-old agreement to export rare "
        "earths to Japan so it can keep supplies for domestic magnet makers.",
        "high",
        "tightening",
    ),
    (
        "Rare earth magnet shortage forces Indian EV makers to cut output",
        "Bajaj Auto said production of electric scooters would fall sharply in July "
        "because of a shortage of rare earth magnets.",
        "high",
        "tightening",
    ),
    (
        "Vietnam to ban rare earth exports",
        "Vietnam's National Assembly passed a law banning exports of rare earths in raw "
        "form, effective from January.",
        "high",
        "tightening",
    ),
    (
        "China gallium price falls as exports resume",
        "Gallium prices in China dropped 10% as export licences were approved.",
        "medium",
        "easing",
    ),
    (
        "Spring water brand recalls bottles over mineral content",
        "A bottled water brand recalled products after tests found high levels of arsenic"
        " and manganese.",
        "none",
        "neutral",
    ),
    (
        "Tin foil hats and 5G: debunking the myths",
        "Conspiracy theories about tin foil and radiation are not supported by evidence.",
        "none",
        "neutral",
    ),
    (
        "Copper IUD side effects: what to know",
        "Copper intrauterine devices are a popular form of contraception; here are the "
        "side effects.",
        "none",
        "neutral",
    ),
    (
        "Silver medalist speaks out after Olympic final",
        "The silver medal winner criticised the judges' scoring.",
        "none",
        "neutral",
    ),
    (
        "Nickelback announces world tour",
        "The Canadian rock band will play 40 cities.",
        "none",
        "neutral",
    ),
    (
        "Lithium Americas shares soar on Thacker Pass approval",
        "Lithium Americas shares rose 20% after the BLM issued a record of decision "
        "approving the Thacker Pass lithium mine in Nevada.",
        "medium",
        "easing",
    ),
    (
        "Graphite tennis rackets: are they worth it?",
        "Graphite frames are light and stiff, making them popular with club players.",
        "none",
        "neutral",
    ),
    (
        "Argentina's lithium boom attracts record investment",
        "Investment in Argentine lithium projects reached $4 billion last year as new "
        "brine operations started production.",
        "medium",
        "easing",
    ),
    (
        "Platinum jubilee celebrations draw crowds",
        "Thousands gathered for the platinum jubilee parade.",
        "none",
        "neutral",
    ),
    (
        "Antimony prices ease from record as Chinese exports trickle back",
        "European antimony prices slipped 5% this week, the first fall in months, as "
        "small volumes of Chinese material cleared customs.",
        "medium",
        "easing",
    ),
    (
        "Cobalt hydroxide payables jump as Congo ban drains stocks",
        "Payables for cobalt hydroxide rose to 95% of the metal price as Chinese refiners"
        " ran down inventories during the DRC export suspension.",
        "medium",
        "tightening",
    ),
    (
        "US to buy up to $1 billion of critical minerals for stockpile",
        "The Pentagon plans to spend up to $1 billion buying cobalt, antimony, tantalum "
        "and scandium for the national defense stockpile over the next few years.",
        "medium",
        "tightening",
    ),
    (
        "Japan's JOGMEC invests in Lynas to secure rare earth supply",
        "JOGMEC and Sojitz will provide A$200 million to Lynas to expand production of "
        "heavy rare earths for Japanese buyers.",
        "medium",
        "easing",
    ),
    (
        "Trade war fears lift rare earth stocks",
        "Shares of rare earth producers outside China rallied as investors bet Beijing "
        "would retaliate against new US tariffs.",
        "medium",
        "tightening",
    ),
    (
        "China's tungsten export licences fall to 15 firms",
        "China cut the number of companies allowed to export tungsten to 15 from 19 in "
        "its latest licence list, the commerce ministry said.",
        "high",
        "tightening",
    ),
    (
        "Indonesia relaxes nickel ore quota rules to ease shortage",
        "Indonesia will allow miners to apply for quota revisions mid-year, the energy "
        "ministry said, after smelters complained of ore shortages.",
        "medium",
        "easing",
    ),
    (
        "Lithium glut deepens as Chinese output hits record",
        "China's lithium carbonate output rose to a record in May, adding to a global "
        "surplus that has pushed prices to four-year lows.",
        "medium",
        "easing",
    ),
    (
        "Rare earth magnet exports from China hit record in July",
        "China's rare earth magnet exports climbed to a record in July after Beijing "
        "eased licensing delays.",
        "medium",
        "easing",
    ),
    (
        "US Commerce launches anti-dumping probe into Chinese graphite anodes",
        "The Commerce Department opened antidumping and countervailing duty "
        "investigations into active anode material from China after a petition by US "
        "producers.",
        "medium",
        "tightening",
    ),
    (
        "China cuts rare earth mining quota growth to slowest in years",
        "China's first batch of 2024 rare earth mining quotas rose 12.5%, the slowest "
        "growth in years, the industry ministry said.",
        "medium",
        "tightening",
    ),
    (
        "Germany sets up raw materials fund to secure supplies",
        "Germany launched a 1 billion euro fund to back critical raw materials projects "
        "at home and abroad.",
        "medium",
        "easing",
    ),
    (
        "Myanmar rare earth exports to China plunge amid fighting",
        "Chinese imports of rare earths from Myanmar fell 60% in the first quarter as "
        "fighting in Kachin disrupted mining.",
        "high",
        "tightening",
    ),
    (
        "MP Materials stops shipping rare earths to China",
        "MP Materials said it had halted shipments of rare earth concentrate to China "
        "because of the tariff war and would process the material in the US.",
        "high",
        "tightening",
    ),
    (
        "Client Alert: BIS Expands Export Controls on Advanced Computing Items",
        "The Bureau of Industry and Security issued new rules restricting exports of "
        "advanced chips and chipmaking equipment to China.",
        "none",
        "neutral",
    ),
    (
        "China's MOFCOM announces export controls on certain lithium battery and graphite"
        " anode technologies",
        "MOFCOM and the GAC jointly issued an announcement adding technologies for "
        "lithium iron phosphate cathodes and graphite anode materials to export controls,"
        " effective November 8.",
        "high",
        "tightening",
    ),
    (
        "Xinhua: China's rare earth industry achieves high-quality development",
        "China's rare earth industry has made remarkable progress in green mining and "
        "high-end applications, according to the industry association.",
        "low",
        "neutral",
    ),
    (
        "Global Times: US stockpiling push reflects anxiety over China's rare earth dominance",
        "Chinese experts said Washington's moves to build rare earth stockpiles show its "
        "dependence on Chinese supply.",
        "low",
        "neutral",
    ),
    (
        "Antimony price hits record $60,000/t in Rotterdam",
        "Antimony prices in Europe have quadrupled since China's export restrictions took"
        " effect in September.",
        "medium",
        "tightening",
    ),
    (
        "Kazakhstan halts tungsten concentrate exports for six months",
        "Kazakhstan's government imposed a six-month ban on exports of tungsten "
        "concentrate to support domestic processing.",
        "high",
        "tightening",
    ),
    (
        "Energy Department awards $425 million for critical minerals processing",
        "The DOE announced funding for 12 projects to expand domestic processing of "
        "lithium, graphite and rare earths.",
        "medium",
        "easing",
    ),
    (
        "Chinese gallium prices slump as export demand dries up",
        "Domestic gallium prices fell 20% in a month as export licences remained hard to obtain.",
        "medium",
        "tightening",
    ),
    (
        "Rare earth prices: weekly market report",
        "NdPr oxide prices were flat; dysprosium oxide fell 2% on weak demand from magnet makers.",
        "medium",
        "easing",
    ),
    (
        "Congo's Tshisekedi signs decree on cobalt export quotas",
        "The president signed the decree setting 2026 cobalt export quotas at 96,600 "
        "tonnes, allowing shipments to resume from October 16.",
        "critical",
        "easing",
    ),
    (
        "Canada orders Chinese firms to divest from Canadian lithium miners",
        "Ottawa ordered three Chinese companies to sell their stakes in Canadian lithium "
        "juniors on national security grounds.",
        "medium",
        "tightening",
    ),
    (
        "China's rare earth exports to US drop 75% in April",
        "Shipments of rare earth magnets to the United States fell 75% in April after the"
        " export controls took effect.",
        "high",
        "tightening",
    ),
    (
        "Graphite prices weaken on oversupply",
        "Flake graphite prices in China fell for a third week as supply outpaced demand "
        "from anode makers.",
        "medium",
        "easing",
    ),
    (
        "Pentagon awards $90 million to Perpetua for antimony",
        "The Defense Department awarded Perpetua Resources $90 million under the DPA to "
        "develop its Idaho antimony-gold project.",
        "medium",
        "easing",
    ),
    (
        "China imposes export licensing on some rare earth magnets and superhard materials",
        "Beijing said exporters of certain superhard materials and rare earth equipment "
        "will need licences from November 8, broadening controls announced earlier this "
        "year.",
        "critical",
        "tightening",
    ),
    (
        "Peru copper mine blockade halts shipments from Las Bambas",
        "Community protesters blocked the road used to truck copper concentrate from "
        "MMG's Las Bambas mine, halting shipments for a second week.",
        "high",
        "tightening",
    ),
    (
        "Copper prices rise on Chinese stimulus hopes",
        "Copper on the LME rose 1.5% as investors bet on more support for China's property sector.",
        "medium",
        "tightening",
    ),
    (
        "Tesla signs lithium supply deal with Piedmont",
        "Piedmont Lithium will supply spodumene concentrate to Tesla under a multi-year agreement.",
        "medium",
        "easing",
    ),
    (
        "Lithium refinery in Texas begins commissioning",
        "Tesla's lithium hydroxide refinery near Corpus Christi has started "
        "commissioning, the company said.",
        "medium",
        "easing",
    ),
    (
        "Opinion: Europe cannot afford to ignore its rare earth deposits",
        "Sweden's Per Geijer deposit could supply a share of Europe's demand, but "
        "permitting takes too long.",
        "low",
        "neutral",
    ),
    (
        "India launches National Critical Mineral Mission with $1.9 billion outlay",
        "The cabinet approved a mission to boost exploration and processing of critical "
        "minerals, with incentives for recycling.",
        "medium",
        "easing",
    ),
    (
        "US Treasury sanctions Chinese firms over gallium smuggling network",
        "OFAC designated five companies accused of shipping gallium and germanium to the "
        "US through third countries in breach of China's ban.",
        "high",
        "tightening",
    ),
    (
        "Rare earth processing plant in Malaysia gets licence renewal",
        "Malaysia renewed Lynas' operating licence for its Kuantan plant for three years.",
        "medium",
        "easing",
    ),
    (
        "US considers tariffs on Chinese rare earth magnets in Section 232 review",
        "The Commerce Department is weighing tariffs on imported permanent magnets, "
        "people familiar with the matter said.",
        "medium",
        "tightening",
    ),
    (
        "China's commerce ministry: no plans to lift gallium controls",
        "A spokesperson said there were no plans to change the export licensing regime "
        "for gallium and germanium.",
        "medium",
        "tightening",
    ),
    (
        "Indonesia cuts nickel ore mining quota by a third",
        "Indonesia approved quotas for 150 million tonnes of nickel ore this year, down "
        "from 240 million, to support prices.",
        "medium",
        "tightening",
    ),
    (
        "Cobalt Blue Holdings completes pilot plant",
        "The Australian company, named after the pigment, completed its cobalt refinery "
        "pilot plant in Kwinana.",
        "low",
        "neutral",
    ),
    (
        "Rare Earth hypothesis gets new support from exoplanet data",
        "Astronomers say Earth-like planets may be rarer than thought.",
        "none",
        "neutral",
    ),
    (
        "Lithium carbonate prices slump to three-year low",
        "Prices of battery-grade lithium carbonate in China fell below 80,000 yuan a tonne.",
        "medium",
        "easing",
    ),
]

HARD_NEGATIVES += [
    (
        "Washington raises steel tariffs again, European mills protest",
        "The new 50% tariff on steel imports takes effect next week, hitting European exporters.",
        "none",
        "neutral",
    ),
    (
        "Auto tariffs to raise car prices by thousands",
        "The 25% tariffs on imported cars and auto parts, which also hit steel and aluminum "
        "components, will raise prices for buyers.",
        "none",
        "neutral",
    ),
    (
        "Mineral water market to grow 7% a year",
        "The global mineral water market, driven by demand for calcium and magnesium rich "
        "drinks, is set to expand, a report says.",
        "none",
        "neutral",
    ),
    (
        "Lithium may protect against dementia, study finds",
        "Lithium, a mood stabilizer used for bipolar disorder, was linked to lower dementia "
        "risk in a large study of patients.",
        "none",
        "neutral",
    ),
    (
        "Gallium: the metal that melts in your hand",
        "Gallium is a soft metal used in semiconductors; it melts at 29.8C, which makes it a "
        "favourite for science tricks.",
        "none",
        "neutral",
    ),
    (
        "Russia bans diesel exports to curb domestic prices",
        "Russia introduced a temporary ban on diesel and gasoline exports.",
        "none",
        "neutral",
    ),
    (
        "Nickel allergy: causes and symptoms",
        "Nickel is found in many everyday items such as jewellery and coins.",
        "none",
        "neutral",
    ),
]

ALL: dict[str, list[Case]] = {
    **GENERAL,
    "export_controls": EXPORT_CONTROLS,
    "hedged": HEDGED,
    "trade": TRADE,
    "supply": SUPPLY,
    "market": MARKET,
    "background": BACKGROUND,
    "hard_negatives": HARD_NEGATIVES,
    "mixed": MIXED,
}
