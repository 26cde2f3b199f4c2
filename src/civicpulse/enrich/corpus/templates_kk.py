"""Kazakh message templates of the labelled corpus: (id, sentiment, topics, text).

Slots as in the Russian templates; Kazakh cases: nom gen dat acc loc abl ins (the institution's
name takes the case suffix: «әкімдігіне», «әкімдігінің», «әкімдігінен»).
"""

from __future__ import annotations

from typing import Final

from civicpulse.enrich.corpus.templates_ru import Template

TEMPLATES: Final[list[Template]] = [
    (
        "kk-roads-1",
        "negative",
        ("roads",),
        "{street} көшесіндегі жол қашан жөнделеді? {E:nom}, халыққа жауап беріңіздер!",
    ),
    ("kk-roads-2", "negative", ("roads",), "Үш жыл бойы асфальт уәде етеді. {E:dat} біздің жолдар керек емес сияқты"),
    ("kk-roads-3", "positive", ("roads",), "{street} көшесіне жаңа асфальт төселді! {E:dat} үлкен рахмет"),
    (
        "kk-roads-4",
        "neutral",
        ("roads",),
        "{E:gen} хабарлауынша, {street} көшесіндегі жөндеу жұмыстары ай соңына дейін жалғасады",
    ),
    ("kk-roads-5", "negative", ("roads",), "Шұңқыр толы жолмен жүру мүмкін емес, {E:abl} ешқандай жауап жоқ"),
    ("kk-util-1", "negative", ("utilities",), "Екі күннен бері жарық жоқ. {E:acc} қанша шақырсақ та, ешкім келмеді"),
    (
        "kk-util-2",
        "negative",
        ("utilities", "corruption"),
        "Тариф өсіп жатыр, ал желілер ескі. {E:nom} қайда қарап отыр?",
    ),
    (
        "kk-util-3",
        "positive",
        ("utilities",),
        "Трансформаторды тез ауыстырып берді, {E:acc} және электриктерді алғыспен атаймыз",
    ),
    (
        "kk-heat-1",
        "negative",
        ("heating_water",),
        "Пәтерде суық, балалар ауырып жатыр. {E:nom}, жылуды қашан бересіздер?",
    ),
    (
        "kk-heat-2",
        "negative",
        ("heating_water",),
        "Ескертусіз тағы су өшірілді. Бір аптадан бері {E:dat} жазып жатырмыз",
    ),
    ("kk-heat-3", "positive", ("heating_water",), "Су мерзімінен бұрын берілді, {E:dat} жедел жұмысы үшін рахмет"),
    (
        "kk-heat-4",
        "neutral",
        ("heating_water",),
        "{E:nom} хабарлайды: дүйсенбіден бастап {street} көшесінде ыстық су жоспарлы түрде өшіріледі",
    ),
    (
        "kk-trans-1",
        "negative",
        ("transport",),
        "{n}-автобус сағатына бір рет жүреді, аялдамада тоңып тұрамыз. {E:nom}, тәртіп орнатыңыздар",
    ),
    ("kk-trans-2", "positive", ("transport",), "{n}-бағытқа жаңа автобустар шықты, {E:gen} жақсы жұмысы"),
    ("kk-trans-3", "neutral", ("transport",), "{E:abl} сұрақ: {n}-бағытты жаңа шағын ауданға дейін ұзарта ма?"),
    ("kk-house-1", "negative", ("housing",), "Он екі жыл баспана кезегінде тұрмын. {E:loc} бәрібір «күтіңіз» дейді"),
    (
        "kk-house-2",
        "positive",
        ("housing",),
        "Бағдарлама бойынша пәтердің кілтін алдық! {E:dat} рахмет, күткенге жеттік",
    ),
    ("kk-house-3", "negative", ("housing",), "Шатыр ағып тұр, подъезд құлағалы тұр, ал {E:nom} бәрі жақсы деп отыр"),
    ("kk-health-1", "negative", ("healthcare",), "Емханада таңғы алтыдан кезек, дәрігер жоқ. {E:nom} мұны біле ме?"),
    (
        "kk-health-2",
        "positive",
        ("healthcare",),
        "Ауылымызда жаңа дәрігерлік амбулатория ашылды, {E:dat} алғыс айтамыз",
    ),
    (
        "kk-health-3",
        "neutral",
        ("healthcare",),
        "{E:gen} мәліметі бойынша, аудандық емханаларда вакцина жұма күнге дейін салынады",
    ),
    (
        "kk-edu-1",
        "negative",
        ("education",),
        "Мектеп үш ауысыммен оқиды, сыныпта 40 бала. {E:nom} жаңа мектепті қашан салады?",
    ),
    ("kk-edu-2", "positive", ("education",), "Балабақша қыркүйекке дейін жөнделді, {E:dat} және құрылысшыларға рахмет"),
    ("kk-edu-3", "neutral", ("education",), "{E:nom} оқушыларға арналған жазғы лагерьлерге қабылдау жариялады"),
    ("kk-eco-1", "negative", ("ecology",), "Зауыттан тағы жаман иіс шығып тұр, дем алу қиын. {E:nom} үнсіз"),
    (
        "kk-eco-2",
        "negative",
        ("ecology",),
        "Өзен жағасындағы қоқыс үйіндісі өсіп барады, {E:dat} жазған шағымдар нәтижесіз",
    ),
    ("kk-eco-3", "positive", ("ecology",), "Саябаққа 500 ағаш отырғызылды, {E:gen} бастамасы өте дұрыс"),
    (
        "kk-soc-1",
        "negative",
        ("social_support",),
        "Мүгедек анама екі айдан бері жәрдемақы төленбейді. {E:loc} бір кабинеттен екіншісіне жібереді",
    ),
    (
        "kk-soc-2",
        "positive",
        ("social_support",),
        "Көпбалалы отбасыларға азық-түлік себеттері таратылды, {E:dat} үлкен рахмет",
    ),
    (
        "kk-corr-1",
        "negative",
        ("corruption",),
        "Жөндеу тендерін туысының фирмасы ұтып алды. {E:nom} әдеттегідей ештеңе білмейді",
    ),
    ("kk-corr-2", "negative", ("corruption",), "Бұл тақтайшаға қанша ақша жұмсалды? {E:nom} сметаны көрсетсін"),
    (
        "kk-safe-1",
        "negative",
        ("public_safety",),
        "Аулада қараңғы, шамдар жанбайды, кешке шығу қорқынышты. {E:nom}, жарық орнатыңыздар",
    ),
    ("kk-safe-2", "positive", ("public_safety",), "Мектеп жанына бағдаршам мен камера қойылды, {E:dat} рахмет"),
    ("kk-gen-1", "neutral", ("other",), "{E:nom} бейсенбі күні сағат 10:00-де азаматтарды қабылдайды"),
    ("kk-gen-2", "positive", ("other",), "Шағымыма екі күнде жауап берді, {E:ins} жұмыс істеуге болады екен"),
    ("kk-gen-3", "negative", ("other",), "eOtinish арқылы {E:dat} жаздым, жай ғана жауап қағаз келді"),
    ("kk-gen-4", "neutral", ("other",), "Бүгін {E:nom} мен {E2:nom} ынтымақтастық туралы меморандумға қол қойды"),
    ("kk-gen-5", "negative", ("other",), "{E:gen} баспасөз қызметі тағы да ыңғайсыз пікірлерді өшіріп жатыр"),
    ("kk-gen-6", "neutral", ("other",), "{E:gen} қабылдау бөлмесінің телефонын кім біледі?"),
    ("kk-gen-7", "positive", ("other",), "{E:gen} қызметкерлеріне рахмет, құжаттарды тез әрі сыпайы рәсімдеп берді"),
    ("kk-gen-8", "negative", ("other",), "#{E:tag} өтінішке жауап қашан болады?"),
    ("kk-gen-9", "neutral", ("other",), "Бүгін {E:ins} кездесу өтті, тұрғындар сұрақтарын қойды"),
    # the place or the head, not the institution: no mention
    ("kk-place-1", "negative", ("roads",), "{P:loc} тағы да жолдар бұзылған, көктемде жүру мүмкін емес"),
    ("kk-place-2", "positive", ("ecology",), "{P:loc} күз қандай әдемі! Саябақ ертегідей"),
    ("kk-place-3", "neutral", ("other",), "Келесі айда {P:dat} көшеміз, жақсы аудан кеңес беріңіздер"),
    ("kk-place-4", "negative", ("heating_water",), "{A} жылу уәде етті, ал үйлерде суық"),
    ("kk-place-5", "neutral", ("official_work",), "{A} қысқа дайындық бойынша жиналыс өткізді"),
    ("kk-place-6", "neutral", ("other",), "Облыс әкімдігі тағы бірдеңе келісіп жатыр, ал іс тұр"),
    ("kk-place-7", "positive", ("personal_life",), "Демалысты отбасыммен балық аулап өткіздім, ауа райы керемет"),
    (
        "kk-place-8",
        "neutral",
        ("official_work",),
        "Аудандарға жұмыс сапары: мектептер мен ауруханалардың құрылысын көрдік",
    ),
    ("kk-place-9", "negative", ("transport",), "{P:loc} күнде кешке кептеліс, айналма жол жоқ"),
]
