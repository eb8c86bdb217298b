// State/region tables: res.country.state codes as in Odoo's base data (odoo/addons/base/data/
// res.country.state.csv; read at odoo/odoo 01b1453b04bce7b1b854a2dacaf798bd62496288, the same
// rows as in 16-19 for the countries below), which follow ISO 3166-2 except GB's. Each entry is
// "CODE=Name|alias|alias"; aliases are common abbreviations, English/local names and
// native-script names that Amazon buyers type into StateOrRegion. FR has no table: Odoo's base
// data has no French states (neither régions nor départements), so French region text is kept
// as text and the address is imported without a state.
#include "address_data.hpp"

namespace clarity::mapping::detail {

const std::vector<CountryStates>& state_tables() {
    static const std::vector<CountryStates> kTables = {
        {"US",
         "AL=Alabama|Ala;AK=Alaska;AZ=Arizona|Ariz;AR=Arkansas|Ark;CA=California|Calif|Cal;"
         "CO=Colorado|Colo;CT=Connecticut|Conn;DE=Delaware|Del;DC=District of Columbia|"
         "Washington DC|Washington D C;FL=Florida|Fla;GA=Georgia;HI=Hawaii;ID=Idaho;"
         "IL=Illinois|Ill;IN=Indiana|Ind;IA=Iowa;KS=Kansas|Kan|Kans;KY=Kentucky;LA=Louisiana;"
         "ME=Maine;MT=Montana|Mont;NE=Nebraska|Neb|Nebr;NV=Nevada|Nev;NH=New Hampshire;"
         "NJ=New Jersey;NM=New Mexico;NY=New York;NC=North Carolina;ND=North Dakota;OH=Ohio;"
         "OK=Oklahoma|Okla;OR=Oregon|Ore|Oreg;MD=Maryland;MA=Massachusetts|Mass;MI=Michigan|Mich;"
         "MN=Minnesota|Minn;MS=Mississippi|Miss;MO=Missouri;PA=Pennsylvania|Penn|Penna;"
         "RI=Rhode Island;SC=South Carolina;SD=South Dakota;TN=Tennessee|Tenn;TX=Texas|Tex;"
         "UT=Utah;VT=Vermont;VA=Virginia;WA=Washington|Wash;WV=West Virginia|W Va|WVa;"
         "WI=Wisconsin|Wis|Wisc;WY=Wyoming|Wyo;AS=American Samoa;"
         "FM=Federated States of Micronesia|Micronesia;GU=Guam;MH=Marshall Islands;"
         "MP=Northern Mariana Islands;PW=Palau;PR=Puerto Rico;VI=Virgin Islands|"
         "US Virgin Islands;AA=Armed Forces Americas;AE=Armed Forces Europe;"
         "AP=Armed Forces Pacific"},
        {"CA",
         "AB=Alberta|Alta;BC=British Columbia|Colombie Britannique;MB=Manitoba|Man;"
         "NB=New Brunswick|Nouveau Brunswick;NL=Newfoundland and Labrador|Newfoundland|"
         "Terre Neuve et Labrador|NF;NT=Northwest Territories|Territoires du Nord Ouest;"
         "NS=Nova Scotia|Nouvelle Ecosse;NU=Nunavut;ON=Ontario|Ont;"
         "PE=Prince Edward Island|Ile du Prince Edouard|PEI;QC=Quebec|Que|PQ;"
         "SK=Saskatchewan|Sask;YT=Yukon|Yukon Territory"},
        {"AU",
         "ACT=Australian Capital Territory;NSW=New South Wales;NT=Northern Territory;"
         "QLD=Queensland;SA=South Australia;TAS=Tasmania;VIC=Victoria;WA=Western Australia"},
        {"IN",
         "AN=Andaman and Nicobar|Andaman and Nicobar Islands;AP=Andhra Pradesh;"
         "AR=Arunachal Pradesh;AS=Assam;BR=Bihar;CH=Chandigarh;CG=Chattisgarh|Chhattisgarh|CT;"
         "DN=Dadra and Nagar Haveli;DD=Daman and Diu;DL=Delhi|New Delhi|NCT of Delhi;GA=Goa;"
         "GJ=Gujarat;HR=Haryana;HP=Himachal Pradesh;JK=Jammu and Kashmir;JH=Jharkhand;"
         "KA=Karnataka;KL=Kerala;LD=Lakshadweep;MP=Madhya Pradesh;MH=Maharashtra;MN=Manipur;"
         "ML=Meghalaya;MZ=Mizoram;NL=Nagaland;OR=Orissa|Odisha|OD;PY=Puducherry|Pondicherry;"
         "PB=Punjab;RJ=Rajasthan;SK=Sikkim;TN=Tamil Nadu;TS=Telangana|TG;TR=Tripura;"
         "UP=Uttar Pradesh;UK=Uttarakhand|Uttaranchal|UT;WB=West Bengal"},
        {"MX",
         "AGU=Aguascalientes|Ags;BCN=Baja California|BC;BCS=Baja California Sur;"
         "CHH=Chihuahua|Chih;COL=Colima|Col;CAM=Campeche|Camp;"
         "COA=Coahuila|Coah|Coahuila de Zaragoza;CHP=Chiapas|Chis;"
         "CMX=Ciudad de Mexico|CDMX|Distrito Federal|DF|Mexico City;DUR=Durango|Dgo;"
         "GRO=Guerrero|Gro;GUA=Guanajuato|Gto;HID=Hidalgo|Hgo;JAL=Jalisco|Jal;"
         "MIC=Michoacan|Mich|Michoacan de Ocampo;MOR=Morelos|Mor;"
         "MEX=Mexico|Estado de Mexico|Edo Mex|Edomex|Mex;NAY=Nayarit|Nay;"
         "NLE=Nuevo Leon|NL;OAX=Oaxaca|Oax;PUE=Puebla|Pue;ROO=Quintana Roo|Q Roo|QR;"
         "QUE=Queretaro|Qro|Queretaro de Arteaga;SIN=Sinaloa|Sin;SLP=San Luis Potosi;"
         "SON=Sonora|Son;TAB=Tabasco|Tab;TLA=Tlaxcala|Tlax;TAM=Tamaulipas|Tamps;"
         "VER=Veracruz|Ver|Veracruz de Ignacio de la Llave;YUC=Yucatan|Yuc;ZAC=Zacatecas|Zac"},
        {"BR",
         "AC=Acre;AL=Alagoas;AP=Amapá;AM=Amazonas;BA=Bahia;CE=Ceará;DF=Distrito Federal;"
         "ES=Espírito Santo;GO=Goiás;MA=Maranhão;MT=Mato Grosso;MS=Mato Grosso do Sul;"
         "MG=Minas Gerais;PA=Pará;PB=Paraíba;PR=Paraná;PE=Pernambuco;PI=Piauí;"
         "RJ=Rio de Janeiro;RN=Rio Grande do Norte;RS=Rio Grande do Sul;RO=Rondônia;"
         "RR=Roraima;SC=Santa Catarina;SP=São Paulo;SE=Sergipe;TO=Tocantins"},
        {"JP",
         "01=Hokkaido|北海道;02=Aomori|青森県;03=Iwate|岩手県;04=Miyagi|宮城県;05=Akita|秋田県;"
         "06=Yamagata|山形県;07=Fukushima|福島県;08=Ibaraki|茨城県;09=Tochigi|栃木県;"
         "10=Gunma|群馬県;11=Saitama|埼玉県;12=Chiba|千葉県;13=Tokyo|東京都;"
         "14=Kanagawa|神奈川県;15=Niigata|新潟県;16=Toyama|富山県;17=Ishikawa|石川県;"
         "18=Fukui|福井県;19=Yamanashi|山梨県;20=Nagano|長野県;21=Gifu|岐阜県;"
         "22=Shizuoka|静岡県;23=Aichi|愛知県;24=Mie|三重県;25=Shiga|滋賀県;26=Kyoto|京都府;"
         "27=Osaka|大阪府;28=Hyogo|兵庫県;29=Nara|奈良県;30=Wakayama|和歌山県;"
         "31=Tottori|鳥取県;32=Shimane|島根県;33=Okayama|岡山県;34=Hiroshima|広島県;"
         "35=Yamaguchi|山口県;36=Tokushima|徳島県;37=Kagawa|香川県;38=Ehime|愛媛県;"
         "39=Kochi|高知県;40=Fukuoka|福岡県;41=Saga|佐賀県;42=Nagasaki|長崎県;"
         "43=Kumamoto|熊本県;44=Oita|大分県;45=Miyazaki|宮崎県;46=Kagoshima|鹿児島県;"
         "47=Okinawa|沖縄県"},
        // GB: the 119 counties of Odoo's base data (codes as there, not ISO 3166-2). Aliases:
        // the usual abbreviations (Hants, Lancs, ...), "County X" / "Co X" spellings, the
        // ceremonial or council-area names buyers type where one Odoo county clearly covers them
        // (Greater London → London, North/South/East Ayrshire → Ayrshire, Cardiff → South
        // Glamorgan, the Welsh principal areas → their preserved county). Names that span
        // several Odoo counties (Greater Manchester, Conwy, Caerphilly, Perth and Kinross, ...)
        // match none.
        {"GB",
         "A1=Aberdeenshire|Aberdeen|City of Aberdeen;A5=Angus;A7=Argyll;A9=Avon;"
         "B1=Ayrshire|North Ayrshire|South Ayrshire|East Ayrshire;B3=Banffshire;"
         "B5=Bedfordshire|Beds|Bedford|Central Bedfordshire|Luton;B7=Berkshire|Berks;"
         "B9=Berwickshire;C1=Buckinghamshire|Bucks|Milton Keynes;C3=Caithness;"
         "C5=Cambridgeshire|Cambs|Peterborough;C6=Channel Islands;C7=Cheshire|"
         "Cheshire East|Cheshire West and Chester;C9=Clackmannanshire;D1=Cleveland;"
         "D3=Clwyd|Denbighshire|Flintshire|Wrexham;D5=County Antrim|Antrim|Co Antrim;"
         "D7=County Armagh|Armagh|Co Armagh;D9=County Down|Down|Co Down;"
         "E1=County Durham|Durham|Co Durham;E3=County Fermanagh|Fermanagh|Co Fermanagh;"
         "E5=County Londonderry|Londonderry|Co Londonderry|County Derry|Derry|Co Derry;"
         "E7=County Tyrone|Tyrone|Co Tyrone;E9=Cornwall;F1=Cumbria;F3=Derbyshire|Derbys|Derby;"
         "F5=Devon|Plymouth|Torbay;F7=Dorset;F9=Dumfriesshire;G1=Dunbartonshire|"
         "East Dunbartonshire|West Dunbartonshire;G3=Dyfed|Carmarthenshire|Ceredigion|"
         "Pembrokeshire;G5=East Lothian;G7=East Sussex|E Sussex|Brighton and Hove;G9=Essex;"
         "H1=Fife;H3=Gloucestershire|Glos|South Gloucestershire;H7=Gwent|Monmouthshire|Newport|"
         "Torfaen|Blaenau Gwent;H9=Gwynedd|Anglesey|Isle of Anglesey|Ynys Mon;"
         "I1=Hampshire|Hants|Southampton|Portsmouth;I3=Herefordshire;I5=Hertfordshire|Herts;"
         "I7=Inverness-Shire|Inverness;I9=Isle of Arran|Arran;J1=Isle of Barra|Barra;"
         "J3=Isle of Benbecula|Benbecula;J5=Isle of Bute|Bute;J7=Isle of Canna|Canna;"
         "J9=Isle of Coll|Coll;K1=Isle of Colonsay|Colonsay;K3=Isle of Cumbrae|Cumbrae;"
         "K5=Isle of Eigg|Eigg;K7=Isle of Gigha|Gigha;K9=Isle of Harris|Harris;"
         "L1=Isle of Iona|Iona;L2=Isle of Islay|Islay;L5=Isle of Jura|Jura;"
         "L7=Isle of Lewis|Lewis;L9=Isle of Man;M1=Isle of Mull|Mull;"
         "M3=Isle of North Uist|North Uist;M5=Orkney|Orkney Islands;M7=Isle of Rhum|Rhum|Rum;"
         "M9=Isle of Scalpay|Scalpay;N1=Shetland Islands|Shetland;N3=Isle of Skye|Skye;"
         "N5=Isle of South Uist|South Uist;N7=Isle of Tiree|Tiree;N9=Isle of Wight|IOW;"
         "O1=Isles of Scilly|Scilly;O5=Kent|Medway;O7=Kincardineshire;O9=Kinross-Shire;"
         "P1=Kirkcudbrightshire;P3=Lanarkshire|North Lanarkshire|South Lanarkshire;"
         "P5=Lancashire|Lancs|Blackpool|Blackburn with Darwen;P7=Leicestershire|Leics|Leicester;"
         "P9=Lincolnshire|Lincs|North Lincolnshire|North East Lincolnshire;Q1=London|"
         "Greater London|City of London|London City;Q3=Merseyside;Q5=Mid Glamorgan|Bridgend|"
         "Rhondda Cynon Taf|Rhondda Cynon Taff|Merthyr Tydfil;Q7=Midlothian;Q9=Middlesex;"
         "R1=Morayshire|Moray;R3=Nairnshire;R5=Norfolk;R7=North Humberside;"
         "R9=North Yorkshire|N Yorkshire|York;S1=Northamptonshire|Northants|"
         "North Northamptonshire|West Northamptonshire;S3=Northumberland|Northumb;"
         "S5=Nottinghamshire|Notts|Nottingham;S7=Oxfordshire|Oxon;S9=Peeblesshire;"
         "T1=Perthshire;T3=Powys;T5=Renfrewshire|East Renfrewshire;T7=Ross-Shire;"
         "T9=Roxburghshire;U3=Selkirkshire;U5=Shropshire|Salop|Telford and Wrekin;"
         "U7=Somerset|North Somerset|Bath and North East Somerset;U9=South Glamorgan|Cardiff|"
         "Vale of Glamorgan;V1=South Humberside;V3=South Yorkshire|S Yorkshire;"
         "V5=Staffordshire|Staffs|Stoke-on-Trent;V7=Stirlingshire|Stirling;V9=Suffolk;"
         "W1=Surrey;W3=Sutherland;W5=Tyne and Wear|Tyne & Wear;W7=Warwickshire|Warks;"
         "W9=West Glamorgan|Swansea|Neath Port Talbot;X1=West Lothian;X3=West Midlands;"
         "X5=West Sussex|W Sussex;X7=West Yorkshire|W Yorkshire;X9=Wigtownshire;"
         "Y1=Wiltshire|Wilts|Swindon;Y3=Worcestershire|Worcs"},
        {"DE",
         "DE-BW=Baden-Württemberg|Baden-Wuerttemberg;DE-BY=Bayern|Bavaria|Freistaat "
         "Bayern;DE-BE=Berlin;DE-BB=Brandenburg;"
         "DE-HB=Bremen;DE-HH=Hamburg;DE-HE=Hessen|Hesse|Hessia;DE-MV=Mecklenburg-Vorpommern|"
         "Mecklenburg-Western Pomerania;DE-NI=Niedersachsen|Lower Saxony;"
         "DE-NW=Nordrhein-Westfalen|North Rhine-Westphalia|NRW;DE-RP=Rheinland-Pfalz|"
         "Rhineland-Palatinate;DE-SL=Saarland;DE-SN=Sachsen|Saxony|Freistaat "
         "Sachsen;DE-ST=Sachsen-Anhalt|"
         "Saxony-Anhalt;DE-SH=Schleswig-Holstein;DE-TH=Thüringen|Thueringen|Thuringia|"
         "Freistaat Thüringen"},
        {"IT",
         "AG=Agrigento;AL=Alessandria;AN=Ancona;AO=Aosta|Valle dAosta|Valle d Aosta|Vallee "
         "dAoste|Aosta Valley;AR=Arezzo;AP=Ascoli Piceno;AT=Asti;"
         "AV=Avellino;BA=Bari;BT=Barletta-Andria-Trani;BL=Belluno;BN=Benevento;BG=Bergamo;"
         "BI=Biella;BO=Bologna;BZ=Bolzano|Bozen|Bolzano Bozen|Alto Adige|South "
         "Tyrol|Sudtirol;BS=Brescia;BR=Brindisi;CA=Cagliari;"
         "CL=Caltanissetta;CB=Campobasso;CI=Carbonia-Iglesias;CE=Caserta;CT=Catania;"
         "CZ=Catanzaro;CH=Chieti;CO=Como;CS=Cosenza;CR=Cremona;KR=Crotone;CN=Cuneo;EN=Enna;"
         "FM=Fermo;FE=Ferrara;FI=Firenze|Florence;FG=Foggia;FC=Forlì-Cesena|Forli;FR=Frosinone;"
         "GE=Genova|Genoa;GO=Gorizia;GR=Grosseto;IM=Imperia;IS=Isernia;SP=La Spezia;"
         "AQ=L'Aquila|LAquila;LT=Latina;LE=Lecce;LC=Lecco;LI=Livorno;LO=Lodi;LU=Lucca;"
         "MC=Macerata;MN=Mantova|Mantua;MS=Massa-Carrara|Massa;MT=Matera;VS=Medio Campidano;"
         "ME=Messina;MI=Milano|Milan;MO=Modena;MB=Monza e Brianza|Monza e della Brianza|Monza "
         "Brianza|Monza;NA=Napoli|Naples;"
         "NO=Novara;NU=Nuoro;OG=Ogliastra;OT=Olbia-Tempio;OR=Oristano;PD=Padova|Padua;"
         "PA=Palermo;PR=Parma;PV=Pavia;PG=Perugia;PU=Pesaro e Urbino|Pesaro "
         "Urbino|Pesaro;PE=Pescara;"
         "PC=Piacenza;PI=Pisa;PT=Pistoia;PN=Pordenone;PZ=Potenza;PO=Prato;RG=Ragusa;"
         "RA=Ravenna;RC=Reggio Calabria|Reggio di Calabria;RE=Reggio Emilia|Reggio "
         "nellEmilia;RI=Rieti;RN=Rimini;RM=Roma|Rome;"
         "RO=Rovigo;SA=Salerno;SS=Sassari;SV=Savona;SI=Siena;SR=Siracusa|Syracuse;"
         "SO=Sondrio;SU=Sud Sardegna;TA=Taranto;TE=Teramo;TR=Terni;TO=Torino|Turin;"
         "TP=Trapani;TN=Trento|Trentino;TV=Treviso;TS=Trieste;UD=Udine;VA=Varese;VE=Venezia|Venice;"
         "VB=Verbano-Cusio-Ossola;VC=Vercelli;VR=Verona;VV=Vibo Valentia;VI=Vicenza;"
         "VT=Viterbo"},
        {"ES",
         "C=A Coruña|La Coruña|Coruña;VI=Araba/Álava|Álava|Araba;AB=Albacete;"
         "A=Alacant|Alicante;AL=Almería;O=Asturias|Principado de Asturias;AV=Ávila;BA=Badajoz;"
         "PM=Illes Balears|Islas Baleares|Baleares;B=Barcelona;BU=Burgos;CC=Cáceres;CA=Cádiz;"
         "S=Cantabria;CS=Castelló|Castellón;CE=Ceuta;CR=Ciudad Real;CO=Córdoba;CU=Cuenca;"
         "GI=Girona|Gerona;GR=Granada;GU=Guadalajara;SS=Gipuzkoa|Guipúzcoa|Guipuzkoa;H=Huelva;"
         "HU=Huesca;J=Jaén;LO=La Rioja|Rioja;GC=Las Palmas|Las Palmas de Gran Canaria|Gran "
         "Canaria;LE=León;L=Lleida|Lérida;LU=Lugo;"
         "M=Madrid|Comunidad de Madrid;MA=Málaga;ME=Melilla;MU=Murcia|Region de "
         "Murcia;NA=Navarra|Nafarroa|Navarre;OR=Ourense|Orense;"
         "P=Palencia;PO=Pontevedra;SA=Salamanca;TF=Santa Cruz de Tenerife|Tenerife;"
         "SG=Segovia;SE=Sevilla|Seville;SO=Soria;T=Tarragona;TE=Teruel;TO=Toledo;"
         "V=València|Valencia;VA=Valladolid;BI=Bizkaia|Vizcaya|Biscay;ZA=Zamora;Z=Zaragoza"},
        {"PT",
         "01=Aveiro;02=Beja;03=Braga;04=Bragança;05=Castelo Branco;06=Coimbra;07=Évora;"
         "08=Faro;09=Guarda;10=Leiria;11=Lisboa|Lisbon;12=Portalegre;13=Porto|Oporto;"
         "14=Santarém;15=Setúbal;16=Viana do Castelo;17=Vila Real;18=Viseu;20=Açores|Azores;"
         "30=Madeira"},
        {"NL",
         "DR=Drenthe;FL=Flevoland;FR=Friesland|Fryslân;GE=Gelderland;GR=Groningen;"
         "LI=Limburg;NB=Noord-Brabant|North Brabant;NH=Noord-Holland|North Holland;"
         "OV=Overijssel;UT=Utrecht;ZE=Zeeland;ZH=Zuid-Holland|South Holland;BQ1=Bonaire;"
         "BQ2=Saba;BQ3=Sint Eustatius"},
        {"IE",
         "CW=Carlow;CN=Cavan;CE=Clare;C=Cork;LK=Limerick;WD=Waterford;DL=Donegal;D=Dublin;"
         "G=Galway;KY=Kerry;KE=Kildare;KK=Kilkenny;LS=Laois;LM=Leitrim;LD=Longford;LH=Louth;"
         "MO=Mayo;MH=Meath;MN=Monaghan;OY=Offaly;RN=Roscommon;SO=Sligo;TR=Tipperary;"
         "WH=Westmeath;WX=Wexford;WW=Wicklow;AM=Antrim;AH=Armagh;DN=Down;FH=Fermanagh;"
         "LY=Londonderry|Derry;TE=Tyrone"},
        {"RO",
         "AB=Alba;AG=Argeș;AR=Arad;B=București|Bucharest;BC=Bacău;BH=Bihor;"
         "BN=Bistrița-Năsăud;BR=Brăila;BT=Botoșani;BV=Brașov;BZ=Buzău;CJ=Cluj;CL=Călărași;"
         "CS=Caraș Severin|Caraș-Severin;CT=Constanța;CV=Covasna;DB=Dâmbovița;DJ=Dolj;"
         "GJ=Gorj;GL=Galați;GR=Giurgiu;HD=Hunedoara;HR=Harghita;IF=Ilfov;IL=Ialomița;"
         "IS=Iași;MH=Mehedinți;MM=Maramureș;MS=Mureș;NT=Neamț;OT=Olt;PH=Prahova;SB=Sibiu;"
         "SJ=Sălaj;SM=Satu Mare;SV=Suceava;TL=Tulcea;TM=Timiș;TR=Teleorman;VL=Vâlcea;"
         "VN=Vrancea;VS=Vaslui"},
        {"SE",
         "SE-K=Blekinge län|Blekinge;SE-W=Dalarnas län|Dalarna;SE-I=Gotlands län|Gotland;"
         "SE-X=Gävleborgs län|Gävleborg;SE-N=Hallands län|Halland;SE-Z=Jämtlands län|Jämtland;"
         "SE-F=Jönköpings län|Jönköping;SE-H=Kalmar län|Kalmar;SE-G=Kronobergs län|Kronoberg;"
         "SE-BD=Norrbottens län|Norrbotten;SE-M=Skåne län|Skåne|Scania;"
         "SE-AB=Stockholms län|Stockholm;SE-D=Södermanlands län|Södermanland;"
         "SE-C=Uppsala län|Uppsala;SE-S=Värmlands län|Värmland;"
         "SE-AC=Västerbottens län|Västerbotten;SE-Y=Västernorrlands län|Västernorrland;"
         "SE-U=Västmanlands län|Västmanland;SE-O=Västra Götalands län|Västra Götaland;"
         "SE-T=Örebro län|Örebro;SE-E=Östergötlands län|Östergötland"},
        {"FI",
         "FI-01=Ahvenanmaa|Åland;FI-02=Etelä-Karjala;FI-03=Etelä-Pohjanmaa;FI-04=Etelä-Savo;"
         "FI-05=Kainuu;FI-06=Kanta-Häme;FI-07=Keski-Pohjanmaa;FI-08=Keski-Suomi;"
         "FI-09=Kymenlaakso;FI-10=Lappi|Lapland;FI-11=Pirkanmaa;FI-12=Pohjanmaa;"
         "FI-13=Pohjois-Karjala;FI-14=Pohjois-Pohjanmaa;FI-15=Pohjois-Savo;"
         "FI-16=Päijät-Häme;FI-17=Satakunta;FI-18=Uusimaa;FI-19=Varsinais-Suomi"},
        {"EE",
         "EE-37=Harjumaa;EE-39=Hiiumaa;EE-44=Ida-Virumaa;EE-49=Jõgevamaa;EE-51=Järvamaa;"
         "EE-57=Läänemaa;EE-59=Lääne-Virumaa;EE-65=Põlvamaa;EE-67=Pärnumaa;EE-70=Raplamaa;"
         "EE-74=Saaremaa;EE-78=Tartumaa;EE-82=Valgamaa;EE-84=Viljandimaa;EE-86=Võrumaa"},
        {"LT",
         "LT-AL=Alytaus apskritis|Alytus;LT-KU=Kauno apskritis|Kaunas;"
         "LT-KL=Klaipėdos apskritis|Klaipėda;LT-MR=Marijampolės apskritis|Marijampolė;"
         "LT-PN=Panevėžio apskritis|Panevėžys;LT-SA=Šiaulių apskritis|Šiauliai;"
         "LT-TA=Tauragės apskritis|Tauragė;LT-TE=Telšių apskritis|Telšiai;"
         "LT-UT=Utenos apskritis|Utena;LT-VL=Vilniaus apskritis|Vilnius"},
        {"LV",
         "LV-001=Aglonas novads;LV-002=Aizkraukles novads;LV-003=Aizputes novads;"
         "LV-004=Aknīstes novads;LV-005=Alojas novads;LV-006=Alsungas novads;"
         "LV-007=Alūksnes novads;LV-008=Amatas novads;LV-009=Apes novads;LV-010=Auces novads;"
         "LV-011=Ādažu novads;LV-012=Babītes novads;LV-013=Baldones novads;"
         "LV-014=Baltinavas novads;LV-015=Balvu novads;LV-016=Bauskas novads;"
         "LV-017=Beverīnas novads;LV-018=Brocēnu novads;LV-019=Burtnieku novads;"
         "LV-020=Carnikavas novads;LV-021=Cesvaines novads;LV-022=Cēsu novads;"
         "LV-023=Ciblas novads;LV-024=Dagdas novads;LV-025=Daugavpils novads;"
         "LV-026=Dobeles novads;LV-027=Dundagas novads;LV-028=Durbes novads;"
         "LV-029=Engures novads;LV-030=Ērgļu novads;LV-031=Garkalnes novads;"
         "LV-032=Grobiņas novads;LV-033=Gulbenes novads;LV-034=Iecavas novads;"
         "LV-035=Ikšķiles novads;LV-036=Ilūkstes novads;LV-037=Inčukalna novads;"
         "LV-038=Jaunjelgavas novads;LV-039=Jaunpiebalgas novads;LV-040=Jaunpils novads;"
         "LV-041=Jelgavas novads;LV-042=Jēkabpils novads;LV-043=Kandavas novads;"
         "LV-044=Kārsavas novads;LV-045=Kocēnu novads;LV-046=Kokneses novads;"
         "LV-047=Krāslavas novads;LV-048=Krimuldas novads;LV-049=Krustpils novads;"
         "LV-050=Kuldīgas novads;LV-051=Ķeguma novads;LV-052=Ķekavas novads;"
         "LV-053=Lielvārdes novads;LV-054=Limbažu novads;LV-055=Līgatnes novads;"
         "LV-056=Līvānu novads;LV-057=Lubānas novads;LV-058=Ludzas novads;LV-059=Madonas novads;"
         "LV-060=Mazsalacas novads;LV-061=Mālpils novads;LV-062=Mārupes novads;"
         "LV-063=Mērsraga novads;LV-064=Naukšēnu novads;LV-065=Neretas novads;"
         "LV-066=Nīcas novads;LV-067=Ogres novads;LV-068=Olaines novads;LV-069=Ozolnieku novads;"
         "LV-070=Pārgaujas novads;LV-071=Pāvilostas novads;LV-072=Pļaviņu novads;"
         "LV-073=Preiļu novads;LV-074=Priekules novads;LV-075=Priekuļu novads;"
         "LV-076=Raunas novads;LV-077=Rēzeknes novads;LV-078=Riebiņu novads;LV-079=Rojas novads;"
         "LV-080=Ropažu novads;LV-081=Rucavas novads;LV-082=Rugāju novads;"
         "LV-083=Rundāles novads;LV-084=Rūjienas novads;LV-085=Salas novads;"
         "LV-086=Salacgrīvas novads;LV-087=Salaspils novads;LV-088=Saldus novads;"
         "LV-089=Saulkrastu novads;LV-090=Sējas novads;LV-091=Siguldas novads;"
         "LV-092=Skrīveru novads;LV-093=Skrundas novads;LV-094=Smiltenes novads;"
         "LV-095=Stopiņu novads;LV-096=Strenču novads;LV-097=Talsu novads;"
         "LV-098=Tērvetes novads;LV-099=Tukuma novads;LV-100=Vaiņodes novads;"
         "LV-101=Valkas novads;LV-102=Varakļānu novads;LV-103=Vārkavas novads;"
         "LV-104=Vecpiebalgas novads;LV-105=Vecumnieku novads;LV-106=Ventspils novads;"
         "LV-107=Viesītes novads;LV-108=Viļakas novads;LV-109=Viļānu novads;"
         "LV-110=Zilupes novads;LV-DGV=Daugavpils;LV-JEL=Jelgava;LV-JKB=Jēkabpils;"
         "LV-JUR=Jūrmala;LV-LPX=Liepāja;LV-REZ=Rēzekne;LV-RIX=Rīga|Riga;LV-VMR=Valmiera;"
         "LV-VEN=Ventspils"},
    };
    return kTables;
}

}  // namespace clarity::mapping::detail
