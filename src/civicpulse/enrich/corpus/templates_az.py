"""Azerbaijani message templates of the labelled corpus: (id, sentiment, topics, text).

The institutions are the central bodies of the Azerbaijani registry (ministries, committees,
services); cases: nom gen dat acc loc abl ins (``Nazirliyinin``, ``Nazirliyinə``,
``Nazirliyindən``...). ``{P:...}`` is a city (no mention), ``{A}`` the minister by position.
"""

from __future__ import annotations

from typing import Final

from civicpulse.enrich.corpus.templates_ru import Template

TEMPLATES: Final[list[Template]] = [
    ("az-roads-1", "negative", ("roads",), "{street} küçəsində yol nə vaxt təmir olunacaq? {E:nom} cavab versin!"),
    ("az-roads-2", "negative", ("roads",), "Üç ildir asfalt vəd edirlər. Görünür, {E:dat} bizim yollar maraqlı deyil"),
    ("az-roads-3", "positive", ("roads",), "Nəhayət {street} küçəsinə yeni asfalt döşəndi! {E:dat} təşəkkürlər"),
    ("az-util-1", "negative", ("utilities",), "İki gündür işıq yoxdur. {E:dat} zəng edirik, heç kim cavab vermir"),
    ("az-util-2", "negative", ("utilities", "corruption"), "Tariflər artır, xətlər isə köhnədir. {E:nom} hara baxır?"),
    ("az-util-3", "positive", ("utilities",), "Transformatoru tez dəyişdilər, {E:dat} və ustalara minnətdarıq"),
    (
        "az-heat-1",
        "negative",
        ("heating_water",),
        "Mənzillərdə soyuqdur, uşaqlar xəstələnir. {E:nom}, istilik nə vaxt veriləcək?",
    ),
    ("az-heat-2", "negative", ("heating_water",), "Yenə xəbərdarlıqsız su kəsildi. Bir həftədir {E:dat} yazırıq"),
    (
        "az-heat-3",
        "positive",
        ("heating_water",),
        "Su vaxtından əvvəl verildi, {E:dat} operativliyə görə təşəkkür edirik",
    ),
    ("az-trans-1", "negative", ("transport",), "{n} nömrəli avtobus saatda bir dəfə gəlir. {E:nom}, bu məsələyə baxın"),
    ("az-trans-2", "positive", ("transport",), "{n} nömrəli marşruta yeni avtobuslar buraxıldı, {E:gen} yaxşı işidir"),
    ("az-trans-3", "neutral", ("transport",), "{E:abl} sual: {n} nömrəli marşrut yeni qəsəbəyə qədər uzadılacaqmı?"),
    ("az-house-1", "negative", ("housing",), "On iki ildir mənzil növbəsindəyəm. {E:loc} hər dəfə «gözləyin» deyirlər"),
    ("az-house-2", "positive", ("housing",), "Proqram üzrə mənzilin açarını aldıq! {E:dat} çox sağ olsun"),
    (
        "az-health-1",
        "negative",
        ("healthcare",),
        "Poliklinikada səhər altıdan növbə var, həkim yoxdur. {E:nom} bundan xəbərdardırmı?",
    ),
    ("az-health-2", "positive", ("healthcare",), "Kəndimizdə yeni tibb məntəqəsi açıldı, {E:dat} təşəkkür edirik"),
    ("az-health-3", "neutral", ("healthcare",), "{E:gen} məlumatına görə, peyvənd cümə gününə qədər davam edəcək"),
    (
        "az-edu-1",
        "negative",
        ("education",),
        "Məktəb üç növbədə işləyir, sinifdə 40 şagird var. {E:nom} yeni məktəbi nə vaxt tikəcək?",
    ),
    (
        "az-edu-2",
        "positive",
        ("education",),
        "Uşaq bağçası sentyabra qədər təmir olundu, {E:dat} və inşaatçılara sağ olun",
    ),
    ("az-edu-3", "neutral", ("education",), "{E:nom} şagirdlər üçün yay düşərgələrinə qeydiyyat elan etdi"),
    ("az-eco-1", "negative", ("ecology",), "Zavoddan yenə pis qoxu gəlir, nəfəs almaq olmur. {E:nom} susur"),
    (
        "az-eco-2",
        "negative",
        ("ecology",),
        "Çay sahilindəki zibillik böyüyür, {E:dat} yazdığımız şikayətlər nəticəsizdir",
    ),
    ("az-eco-3", "positive", ("ecology",), "Parkda 500 ağac əkildi, {E:gen} təşəbbüsü çox düzgündür"),
    (
        "az-soc-1",
        "negative",
        ("social_support",),
        "Əlil anama iki aydır müavinət ödənilmir. {E:loc} bir otaqdan digərinə göndərirlər",
    ),
    (
        "az-soc-2",
        "positive",
        ("social_support",),
        "Çoxuşaqlı ailələrə ərzaq bağlamaları paylandı, {E:dat} böyük təşəkkür",
    ),
    (
        "az-corr-1",
        "negative",
        ("corruption",),
        "Təmir tenderini qohumunun şirkəti udub. {E:nom} həmişəki kimi heç nə bilmir",
    ),
    ("az-corr-2", "negative", ("corruption",), "Bu layihəyə nə qədər pul xərcləndi? Qoy {E:nom} smetanı göstərsin"),
    (
        "az-safe-1",
        "negative",
        ("public_safety",),
        "Həyətlərdə qaranlıqdır, fənərlər yanmır, axşam çıxmaq qorxuludur. {E:nom}, işıqlandırma qurun",
    ),
    (
        "az-safe-2",
        "positive",
        ("public_safety",),
        "Məktəbin yanında svetofor və kamera quraşdırıldı, {E:dat} təşəkkürlər",
    ),
    ("az-gen-1", "neutral", ("other",), "{E:nom} cümə axşamı saat 10:00-da vətəndaşları qəbul edəcək"),
    ("az-gen-2", "positive", ("other",), "Şikayətimə iki günə cavab verdilər, {E:ins} işləmək olar"),
    ("az-gen-3", "negative", ("other",), "{E:acc} dəfələrlə məlumatlandırmışıq, amma formal cavab gəldi"),
    ("az-gen-4", "neutral", ("other",), "Bu gün {E:nom} və {E2:nom} əməkdaşlıq memorandumu imzaladı"),
    ("az-gen-5", "negative", ("other",), "{E:gen} mətbuat xidməti yenə narahat şərhləri silir"),
    ("az-gen-6", "neutral", ("other",), "{E:gen} qaynar xəttinin nömrəsini bilən var?"),
    ("az-gen-7", "positive", ("other",), "{E:gen} əməkdaşlarına təşəkkür, sənədləri tez və nəzakətlə hazırladılar"),
    ("az-gen-8", "negative", ("other",), "#{E:tag} müraciətə cavab nə vaxt olacaq?"),
    ("az-gen-9", "neutral", ("other",), "Vətəndaşlar {E:abl} aydınlıq gözləyir"),
    # the place, the minister or a ministry in general: no mention of a registry body
    ("az-place-1", "negative", ("roads",), "{P:loc} yenə yollar bərbad vəziyyətdədir, yazda keçmək olmur"),
    ("az-place-2", "positive", ("ecology",), "{P:loc} payız necə gözəldir! Park nağıl kimidir"),
    ("az-place-3", "negative", ("heating_water",), "{A} istilik vəd etdi, evlərdə isə soyuqdur"),
    ("az-place-4", "neutral", ("official_work",), "{A} qışa hazırlıqla bağlı müşavirə keçirdi"),
    ("az-place-5", "neutral", ("other",), "Nazirlik yenə nəyisə razılaşdırır, iş isə yerində sayır"),
    ("az-place-6", "positive", ("personal_life",), "Həftəsonunu ailəmlə balıq tutmaqla keçirdim, hava əla idi"),
    ("az-place-7", "neutral", ("official_work",), "Rayonlara işgüzar səfər: məktəb və xəstəxana tikintilərinə baxdıq"),
    ("az-place-8", "negative", ("other",), "Ermənistan XİN yenə əsassız bəyanat yayıb"),
    ("az-place-9", "negative", ("transport",), "{P:loc} hər axşam tıxac olur, alternativ yol yoxdur"),
]
