# ruff: noqa: E501  (phrase data: one message a line reads better than wrapped strings)
"""Azerbaijani phrase bank of the sentiment and topics corpus (see ``sentiment_gen``).

Slots: ``{org}`` ``{org_gen}`` ``{org_dat}`` ``{org_acc}`` ``{org_loc}`` name an institution in
that case (the suffix goes on «Nazirliy-» / «Hakimiyyət-»), ``{street}`` (before «küçəsi»),
``{mkr}``, ``{days}``, ``{bus}``. Complaints go to the ministry that answers for the topic; roads,
utilities, heating and housing go to the city executive power, which the registry does not list
(ids starting with ``local:`` are written but are not entities).
"""

from __future__ import annotations

from typing import Final

ORGS: Final = {
    "az-health": "Səhiyyə Nazirliy",
    "az-education": "Elm və Təhsil Nazirliy",
    "az-ecology": "Ekologiya və Təbii Sərvətlər Nazirliy",
    "az-labour": "Əmək və Əhalinin Sosial Müdafiəsi Nazirliy",
    "az-internal-affairs": "Daxili İşlər Nazirliy",
    "az-emergency-situations": "Fövqəladə Hallar Nazirliy",
    "az-justice": "Ədliyyə Nazirliy",
    "az-taxes": "Vergilər Nazirliy",
    "local:baku": "Bakı Şəhər İcra Hakimiyyət",
    "local:sumgait": "Sumqayıt Şəhər İcra Hakimiyyət",
    "local:ganja": "Gəncə Şəhər İcra Hakimiyyət",
}
TOPIC_ORGS: Final = {
    "roads": ["local:baku", "local:sumgait", "local:ganja"],
    "utilities": ["local:baku", "local:sumgait", "local:ganja"],
    "heating_water": ["local:baku", "local:sumgait", "local:ganja"],
    "housing": ["local:baku", "local:sumgait", "local:ganja"],
    "transport": ["local:baku", "local:ganja"],
    "healthcare": ["az-health"],
    "education": ["az-education"],
    "ecology": ["az-ecology"],
    "social_support": ["az-labour"],
    "corruption": ["az-justice", "az-taxes"],
    "public_safety": ["az-internal-affairs", "az-emergency-situations"],
}
CASES: Final = {
    "org": "{stem}i",
    "org_gen": "{stem}inin",
    "org_dat": "{stem}inə",
    "org_acc": "{stem}ini",
    "org_loc": "{stem}ində",
}
SLOTS: Final = {
    "street": ["Nizami", "Füzuli", "Azadlıq", "Nərimanov", "Səməd Vurğun", "Neftçilər"],
    "mkr": ["Bülbülə", "Masazır", "Binəqədi", "Zabrat", "Xırdalan", "Mərdəkan"],
    "days": ["üç gündür", "bir həftədir", "beş gündür"],
    "bus": ["12", "37", "4", "105", "62"],
}
HASHTAGS: Final = ["#Bakı", "#Sumqayıt", "#Gəncə", "#şikayət", "#xalqınsəsi", "#problem"]
CONNECTORS: Final = ["Üstəlik ", "Bir də ki, ", "Həm də ", "Yeri gəlmişkən, "]

TOPICS: Final[dict[str, dict[str, list[str]]]] = {
    "roads": {
        "negative": [
            "{street} küçəsində yenə çuxurlar var, maşını iki dəfə təmir etdirmişəm",
            "yolu bir ay əvvəl təmir etdilər, asfalt artıq dağılıb",
            "{mkr} qəsəbəsində səki ümumiyyətlə yoxdur, uşaqlar məktəbə yolun ortası ilə gedir",
            "yağışdan sonra {street} küçəsi göl olur, keçmək mümkün deyil",
            "yol təmirinə ayrılan pul havaya sovruldu, keyfiyyət sıfırdır",
        ],
        "positive": [
            "{street} küçəsinə təzə asfalt döşədilər, sürmək xoşdur",
            "{mkr} qəsəbəsində səkilər və işıqlandırma quruldu, çox rahat oldu",
            "körpünü vaxtından əvvəl təmir edib bitirdilər, sağ olun",
            "kənd yolu nəhayət asfaltlandı, illərdir gözləyirdik",
        ],
        "neutral": [
            "{street} küçəsindəki yol nə vaxt təmir olunacaq?",
            "bazar ertəsindən {street} küçəsi təmir üçün bağlanır",
            "{mkr} qəsəbəsindəki yola kim cavabdehdir?",
            "bu ilin yol təmiri planı açıqlanıb",
        ],
    },
    "utilities": {
        "negative": [
            "{mkr} qəsəbəsində zibil {days} daşınmır, iyi dözülməzdir",
            "işıq hər axşam xəbərdarlıqsız sönür",
            "kommunal tarifləri qaldırdılar, xidmət isə daha da pisləşib",
            "{mkr} kəndinə hələ də qaz çəkilməyib, üç ildir vəd verirlər",
            "{street} küçəsində fənərlər yanmır, axşam çölə çıxmaq qorxuludur",
        ],
        "positive": [
            "zibil qablarını dəyişdilər, indi hər gün daşıyırlar, təmizlik oldu",
            "nəhayət {mkr} kəndinə qaz gəldi, camaat çox sevinir",
            "{street} küçəsində yeni fənərlər quraşdırıldı, axşam gündüz kimidir",
            "elektrik şəbəkəsindəki qəzanı iki saata aradan qaldırdılar, operativ işlədilər",
        ],
        "neutral": [
            "sabah saat 10-dan 16-ya qədər {mkr} qəsəbəsində planlı elektrik kəsintisi olacaq",
            "zibil daşınmırsa hara müraciət etmək lazımdır?",
            "yanvarın birindən zibil daşınma haqqı dəyişir",
            "{mkr} qəsəbəsində elektrik kabeli dəyişdiriləcək",
        ],
    },
    "heating_water": {
        "negative": [
            "mənzildə 14 dərəcədir, radiatorlar buz kimidir, pulunu isə vaxtında ödəyirik",
            "isti su {days} yoxdur, heç kim heç nə izah etmir",
            "kranadan paslı su axır, uşağı çimizdirməyə qorxuruq",
            "{street} küçəsində kanalizasiya partlayıb, heç kim gəlmir",
            "istilik mövsümü başlayıb, amma {mkr} qəsəbəsində batareyalar soyuqdur",
        ],
        "positive": [
            "istiliyi vaxtında verdilər, evdə isti oldu, kommunalçılara təşəkkür",
            "{mkr} qəsəbəsində su xəttini dəyişdilər, su nəhayət təmizdir",
            "istilik xəttindəki qəzanı bir gecəyə aradan qaldırdılar, əla",
            "kəndə içməli su çəkildi, illərlə gözləmişdik",
        ],
        "neutral": [
            "{mkr} qəsəbəsinə isti su nə vaxt veriləcək?",
            "oktyabrın 1-dən istilik mövsümü başlayır",
            "su xəttinin təmiri ilə əlaqədar {street} küçəsində su olmayacaq",
            "mənzil soyuqdursa hara şikayət etmək olar?",
        ],
    },
    "transport": {
        "negative": [
            "{bus} nömrəli avtobus saatda bir dəfə gəlir, adamlar dayanacaqda donur",
            "sürücülər kobuddur, salonda siqaret çəkirlər",
            "{street} küçəsindəki dayanacaqda heç örtük yoxdur, yağışın altında dururuq",
            "avtobuslar köhnə və çirklidir, yolda daim xarab olur",
        ],
        "positive": [
            "{bus} nömrəli marşruta yeni avtobuslar çıxdı, isti və təmizdir",
            "avtobus cədvəli rahat oldu, dəqiq vaxtında gəlir",
            "{mkr} qəsəbəsinə yeni marşrut açıldı, çox köməyi var, sağ olun",
            "avtobusda kartla ödəniş nəhayət işləyir, çox rahatdır",
        ],
        "neutral": [
            "{bus} nömrəli avtobusun cədvəli dəyişib, saytdan baxın",
            "{mkr} qəsəbəsinə avtobus marşrutu olacaqmı?",
            "bazar ertəsindən {bus} nömrəli marşrut {street} küçəsindən keçəcək",
            "avtobusda gediş haqqı indi neçəyədir?",
        ],
    },
    "housing": {
        "negative": [
            "12 ildir mənzil növbəsindəyik, heç bir irəliləyiş yoxdur",
            "{street} küçəsindəki binamızın damı axır, idarəedən şirkət susur",
            "{mkr} qəsəbəsindəki qəzalı bina hələ də köçürülməyib, qorxu içində yaşayırıq",
            "binada lift {days} işləmir, pensiyaçılar çölə çıxa bilmir",
        ],
        "positive": [
            "proqram üzrə yeni mənzilin açarlarını aldıq, çox xoşbəxtik",
            "binamızın damını tez və keyfiyyətlə təmir etdilər",
            "qəzalı binanın sakinlərini yeni mənzillərə köçürdülər, təşəkkürlər",
            "girişlərdə əsaslı təmir aparıldı, hər yer təmiz və gözəldir",
        ],
        "neutral": [
            "kirayə mənzil növbəsinin siyahıları açıqlanıb",
            "mənzil növbəsinə necə yazılmaq olar?",
            "güzəştli ipoteka üçün müraciətlərin qəbulu başlayıb",
            "{mkr} qəsəbəsindəki qəzalı binaların sökülməsi planlaşdırılır",
        ],
    },
    "healthcare": {
        "negative": [
            "poliklinikada səhər altıdan növbə var, terapevtə düşmək mümkün deyil",
            "təcili yardım nənəmə bir saat yarıma gəldi",
            "xəstəxanada dərman yoxdur, hər şeyi özümüz alırıq",
            "həkim kobudluq etdi, uşağa baxmadı belə",
        ],
        "positive": [
            "respublika xəstəxanasının həkimləri atamı xilas etdi, çox sağ olun",
            "poliklinikada elektron növbə tətbiq olunub, hər şey sürətlidir",
            "təcili yardım on dəqiqəyə gəldi, minnətdarıq",
            "{mkr} kəndində yeni ambulatoriya açıldı, artıq şəhərə getməyə ehtiyac yoxdur",
        ],
        "neutral": [
            "qripə qarşı pulsuz peyvəndi harada vurdurmaq olar?",
            "{mkr} poliklinikası bazar ertəsindən saat 20:00-a qədər işləyir",
            "başqa poliklinikaya necə qeydiyyatdan keçmək olar?",
            "pulsuz müayinəyə yazılış başlayıb",
        ],
    },
    "education": {
        "negative": [
            "məktəbdə uşaqlar üç növbədə oxuyur, sinifdə 40 şagird var",
            "bağçaya üç il növbə var, işləmək mümkün deyil",
            "valideynlərdən yenə sinfin təmiri üçün pul yığırlar",
            "{mkr} məktəbində soyuqdur, uşaqlar gödəkcədə oturur",
        ],
        "positive": [
            "{mkr} qəsəbəsində yeni məktəb açıldı, işıqlı və müasirdir",
            "uşağı nəhayət bağçaya götürdülər, kömək edənlərə təşəkkür",
            "məktəbin idman zalını təmir etdilər, uşaqlar çox sevinir",
            "məktəbimizin müəllimləri uşaqları olimpiadaya əla hazırladılar",
        ],
        "neutral": [
            "birinci sinfə sənəd qəbulu nə vaxt başlayır?",
            "tədris ilinin tətil qrafiki açıqlanıb",
            "{mkr} qəsəbəsində 320 yerlik uşaq bağçası tikilir",
            "uşağı başqa məktəbə necə keçirmək olar?",
        ],
    },
    "ecology": {
        "negative": [
            "şəhər tüstüdən boğulur, nəfəs almaq olmur",
            "{mkr} yaxınlığındakı zibillik {days} yanır, evlərin hamısı tüstüdür",
            "{street} küçəsindəki ağacları dayanacaq üçün kəsdilər",
            "zavod tullantıları birbaşa çaya axıdır, balıqlar qırılır",
        ],
        "positive": [
            "{street} küçəsində yüzlərlə cavan ağac əkildi, yaşıllıq olacaq",
            "{mkr} yaxınlığındakı qanunsuz zibilliyi nəhayət təmizlədilər",
            "parka tullantıların ayrıca yığılması üçün konteynerlər qoyuldu, əla",
            "çayı zibildən təmizlədilər, sahili tanımaq olmur",
        ],
        "neutral": [
            "şənbə günü ümumşəhər iməcliyi keçiriləcək",
            "batareyaları təkrar emal üçün hara təhvil vermək olar?",
            "həftəlik hava keyfiyyəti göstəriciləri açıqlanıb",
            "zavodun tullantıları yoxlanılacaqmı?",
        ],
    },
    "social_support": {
        "negative": [
            "uşaq pulu üç aydır gəlmir",
            "çoxuşaqlı ailəyə heç bir səbəb göstərmədən yardımdan imtina etdilər",
            "pensiyaçılara ünvanlı yardım vəd etdilər, sonra cavabsız qoydular",
            "əlilliyi olan insan binaya girə bilmir, pandus yoxdur",
        ],
        "positive": [
            "tənha nənəyə qış üçün odun aldılar, çox sağ olsunlar",
            "çoxuşaqlı ailələrə ərzaq bağlamaları paylandı, vaxtında oldu",
            "müavinəti portal vasitəsilə tez rəsmiləşdirdik, növbəsiz",
            "veteranların evlərini bayrama qədər təmir etdilər, təşəkkürlər",
        ],
        "neutral": [
            "ünvanlı sosial yardımı necə rəsmiləşdirmək olar?",
            "birdəfəlik ödəniş üçün müraciətlərin qəbulu başlayıb",
            "qulluq müavinəti üçün hansı sənədlər lazımdır?",
            "ASAN xidmətdə sosial ödənişlər üzrə qəbul qrafiki dəyişib",
        ],
    },
    "corruption": {
        "negative": [
            "təmir tenderini yenə məmurun qohumunun şirkəti qazandı",
            "bağçada yer üçün rüşvət istəyirlər, hamı bilir, hamı susur",
            "abadlıq üçün ayrılan pulu bölüşdürdülər, həyət yenə palçıq içindədir",
            "məmur dövlət qulluqçusu maaşına villa tikdirib, gülməlidir",
        ],
        "positive": [
            "rüşvət alan məmuru nəhayət saxladılar, belə davam edin",
            "bütün tenderlər indi açıq elan olunur, bu düzgündür",
            "oğurlanmış vəsait büdcəyə qaytarıldı, yaxşı nəticədir",
        ],
        "neutral": [
            "korrupsiya faktı barədə hara məlumat vermək olar?",
            "korrupsiyaya qarşı mübarizə idarəsi tikinti şöbəsində yoxlama aparır",
            "yol təmiri tenderinin nəticələri açıqlanıb",
            "keçmiş müavinin işi üzrə məhkəmə gələn həftəyə təxirə salındı",
        ],
    },
    "public_safety": {
        "negative": [
            "{mkr} qəsəbəsində gecələr xuliqanlar gəzir, polisə zəng çatmır",
            "{street} küçəsində sahibsiz itlər uşağı dişlədi",
            "{street} küçəsindəki yolayrıcında svetofor yoxdur, hər həftə qəza olur",
            "həyətdə nə kamera var, nə işıq, axşam təhlükəlidir",
        ],
        "positive": [
            "məktəbin yanında svetofor və piyada keçidi quraşdırıldı, uşaqlar təhlükəsizdir",
            "sahə müvəkkili xuliqanlarla tez məşğul oldu, sağ olsun",
            "sahibsiz itləri tutdular, uşaqlarla rahat gəzirik",
            "həyətlərə müşahidə kameraları quraşdırıldı, sakitlik oldu",
        ],
        "neutral": [
            "{street} küçəsində sürət ölçən kameralar quraşdırılacaq",
            "həyətdə sahibsiz itlər varsa hara zəng etmək lazımdır?",
            "polis bank adından zəng edən fırıldaqçılar barədə xəbərdarlıq edir",
            "sabah {street} küçəsində təlim keçiriləcək, narahat olmayın",
        ],
    },
}

GENERAL: Final[dict[str, list[str]]] = {
    "negative": [
        "{org} yalnız instaqramda PR edir, real iş sıfırdır",
        "{org_dat} on dəfə yazdıq, cavab yalnız formal yazışmadır",
        "{org} xalqın vəziyyətindən xəbərsizdir",
        "{org_loc} qəbula aylarla düşmək olmur",
        "{org_loc} heç kim telefonu götürmür",
    ],
    "positive": [
        "{org} müraciətə tez reaksiya verdi, xoş təəccübləndim",
        "operativ cavab üçün {org_dat} təşəkkür edirəm",
        "{org} bu il sakinlər üçün həqiqətən çox iş görüb",
        "{org_loc} qəbulda problemi bir günə həll etdilər",
    ],
    "neutral": [
        "{org} cümə axşamı vətəndaşları qəbul edəcək",
        "{org} rüblük hesabatını dərc edib",
        "{org_dat} qəbula necə yazılmaq olar?",
        "{org_loc} şöbə müdiri dəyişib",
    ],
}

OPENERS: Final[dict[str, list[str]]] = {
    "negative": [
        "{org}, bu nə vaxta qədər davam edəcək?",
        "Biabırçılıqdır!",
        "{org}, diqqət edin!",
        "Dəhşətdir.",
        "{org_dat} şikayət:",
        "Yenə həmin mənzərə.",
        "Bu nə vaxt bitəcək?",
        "Camaat, bu normaldır?",
        "Növbəti «hədiyyə» üçün {org_dat} təşəkkürlər.",
    ],
    "positive": [
        "{org_dat} təşəkkür etmək istəyirəm!",
        "Xoş xəbər:",
        "Nəhayət!",
        "Afərin!",
        "{org_dat} çox sağ olun!",
        "Bizdə hər şey pis deyil:",
    ],
    "neutral": [
        "{org_dat} sual:",
        "Zəhmət olmasa deyin:",
        "Sakinlər üçün məlumat:",
        "{org} bildirir:",
        "Kim bilir?",
        "Elan:",
    ],
}

CLOSERS: Final[dict[str, list[str]]] = {
    "negative": [
        "{org_dat} ayıb olsun!",
        "{org} hara baxır?",
        "Səbrimiz tükəndi.",
        "Heç kimin vecinə deyil.",
        "İş əvəzinə formal cavablar.",
        "Artıq həll edin!",
        "Ayıbdır.",
    ],
    "positive": [
        "{org_dat} təşəkkürlər!",
        "Belə davam edin!",
        "Dəyişiklikləri görmək xoşdur.",
        "Afərin, həmişə belə olsun.",
        "Minnətdarıq!",
    ],
    "neutral": [
        "Cavab üçün təşəkkür.",
        "Ətraflı məlumat {org_gen} saytında.",
        "Bilən varsa yazsın.",
        "Məlumat bu gün üçün aktualdır.",
        "Cavab gözləyirik.",
    ],
}

WORK: Final = [
    ("Bu gün istilik mövsümünə hazırlıqla bağlı müşavirə keçirdim. Qazanxanaların təmirinin oktyabrın 1-dək başa çatdırılmasını tapşırdım.", "neutral", "heating_water"),
    ("{mkr} qəsəbəsində yeni məktəbin tikintisi ilə tanış oldum. İşlər qrafik üzrə gedir, sentyabrda açacağıq.", "positive", "education"),
    ("Vətəndaşları qəbul etdim, 27 müraciətə baxıldı, bir çox məsələ üzrə qərar verildi.", "neutral", ""),
    ("{street} küçəsində yol təmirinin gedişini yoxladım. Podratçıya nöqsanlar göstərildi.", "neutral", "roads"),
    ("Rayon xəstəxanasının rəhbərliyi ilə görüşdük, dərman təminatını müzakirə etdik.", "neutral", "healthcare"),
    ("Çay üzərində yeni körpü istifadəyə verildi. İnşaatçılara təşəkkür edirəm!", "positive", "roads"),
    ("Kəndlərə işgüzar səfər: su xəttinə və yeni ambulatoriyaya baxdıq.", "neutral", "heating_water"),
    ("İnvestorla zavod tikintisi barədə memorandum imzaladım, bu 500 yeni iş yeri deməkdir.", "positive", ""),
    ("Rayon ictimaiyyəti qarşısında büdcənin icrası barədə hesabat verdim.", "neutral", ""),
    ("Zibil daşınması ilə bağlı səyyar müşavirə keçirdim, sakinlərin şikayətlərini nəzarətə götürürük.", "neutral", "utilities"),
    ("Qəzalı binalardan köçən 40 ailəyə yeni mənzillərin açarlarını təqdim etdim. Yeni eviniz mübarək!", "positive", "housing"),
    ("Polisin hüquqpozmaların qarşısının alınması üzrə hesabatını dinlədik, rüb üçün tapşırıqlar verdim.", "neutral", "public_safety"),
]  # fmt: skip
LIFE: Final = [
    ("Həftə sonu ailəmlə təbiətdə olduq. Ən yaxşı istirahət!", "positive"),
    ("Bu gün anamın ad günüdür. Anacan, sənə cansağlığı və uzun ömür arzulayıram!", "positive"),
    ("Dənizkənarı bulvarda səhər qaçışı, hava günəşlidir.", "positive"),
    ("Oğlumla bu mövsümün ilk balığını tutduq 🎣", "positive"),
    ("Yatmazdan əvvəl Nizami oxuyuram. Hamıya «Xəmsə»ni yenidən oxumağı tövsiyə edirəm.", "neutral"),
    ("Bütün ailə üçün plov bişirdim, nəvələr bəyəndi.", "positive"),
    ("Həyat yoldaşımla teatrda premyerada olduq, çox xoşumuza gəldi.", "positive"),
    ("Atamı xatırlayıram, bu gün ildönümüdür. Darıxıram.", "negative"),
    ("Böyüdüyüm köhnə həyət. Nə qədər xatirə…", "neutral"),
    ("Bu axşam millimizə azarkeşlik edirəm, irəli!", "positive"),
    ("Qızım universiteti fərqlənmə diplomu ilə bitirdi, fəxr edirəm!", "positive"),
    ("Bazar səhəri, qəhvə və sakitlik. Belə anlar nadir olur.", "neutral"),
]
