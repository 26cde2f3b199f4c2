"""Russian message templates of the labelled corpus: (id, sentiment, topics, text).

Slots: ``{E:case}`` names an institution (case: nom gen dat acc ins loc), ``{E2:case}`` a second
one, ``{P:case}`` only a place («в Атырау», not a mention), ``{A}`` the head by position («аким
области»), not the institution. Written to sound like comments and posts in regional groups.
"""

from __future__ import annotations

from typing import Final

Template = tuple[str, str, tuple[str, ...], str]

TEMPLATES: Final[list[Template]] = [
    (
        "ru-roads-1",
        "negative",
        ("roads",),
        "{E:nom}, когда уже отремонтируют дорогу на {street}? Ямы по колено, машину разбил",
    ),
    (
        "ru-roads-2",
        "negative",
        ("roads",),
        "Третий год обещают асфальт на {street}. Видимо, {E:dat} наши дороги не интересны",
    ),
    (
        "ru-roads-3",
        "positive",
        ("roads",),
        "Наконец-то положили новый асфальт на {street}! Спасибо {E:dat}, ездить стало приятно",
    ),
    ("ru-roads-4", "neutral", ("roads",), "По информации {E:gen}, ремонт дороги на {street} продлится до конца месяца"),
    ("ru-roads-5", "negative", ("roads",), "Кто-нибудь в {E:loc} вообще ездит по {street}? Там же одни ямы и грязь"),
    (
        "ru-util-1",
        "negative",
        ("utilities",),
        "Вторые сутки без света на {street}. Звонили в {E:acc} — трубку никто не берёт",
    ),
    (
        "ru-util-2",
        "negative",
        ("utilities", "corruption"),
        "Тарифы растут, а сети гнилые. Куда смотрит {E:nom}? Деньги опять пилят",
    ),
    (
        "ru-util-3",
        "positive",
        ("utilities",),
        "Быстро поменяли трансформатор у нас во дворе, благодарим {E:acc} и электриков",
    ),
    (
        "ru-heat-1",
        "negative",
        ("heating_water",),
        "В квартирах +14, дети болеют. {E:nom}, вы обещали дать тепло до 15 октября!",
    ),
    (
        "ru-heat-2",
        "negative",
        ("heating_water",),
        "Опять отключили воду без предупреждения. Сколько можно? Пишем в {E:acc} уже неделю",
    ),
    ("ru-heat-3", "positive", ("heating_water",), "Воду дали даже раньше срока, спасибо {E:dat} за оперативность"),
    (
        "ru-heat-4",
        "neutral",
        ("heating_water",),
        "{E:nom} сообщает: с понедельника плановое отключение горячей воды по {street}",
    ),
    (
        "ru-heat-5",
        "negative",
        ("heating_water",),
        "Из крана течёт ржавая вода, ответ {E:gen}: «проблема решается». Уже полгода решается",
    ),
    (
        "ru-trans-1",
        "negative",
        ("transport",),
        "Автобус №{n} ходит раз в час, люди мёрзнут на остановках. {E:nom}, наведите порядок",
    ),
    ("ru-trans-2", "positive", ("transport",), "Новые автобусы на маршруте {n} — это плюс. Молодцы в {E:loc}"),
    (
        "ru-trans-3",
        "neutral",
        ("transport",),
        "Вопрос к {E:dat}: будут ли продлевать маршрут {n} до нового микрорайона?",
    ),
    ("ru-house-1", "negative", ("housing",), "Стою в очереди на жильё 12 лет. В {E:loc} отвечают одно и то же: ждите"),
    ("ru-house-2", "positive", ("housing",), "Получили ключи от квартиры по программе! Спасибо {E:dat}, дождались"),
    (
        "ru-house-3",
        "negative",
        ("housing",),
        "Крыша течёт, подъезд разваливается, а {E:nom} делает вид, что всё хорошо",
    ),
    (
        "ru-health-1",
        "negative",
        ("healthcare",),
        "В поликлинике очередь с шести утра, врачей нет. {E:nom}, вы вообще в курсе?",
    ),
    (
        "ru-health-2",
        "positive",
        ("healthcare",),
        "Открыли новую амбулаторию в нашем селе, спасибо {E:dat} — теперь не нужно ехать в город",
    ),
    (
        "ru-health-3",
        "neutral",
        ("healthcare",),
        "По данным {E:gen}, вакцинация в районных поликлиниках продолжается до пятницы",
    ),
    ("ru-edu-1", "negative", ("education",), "Школа в три смены, классы по 40 человек. Когда {E:nom} построит новую?"),
    ("ru-edu-2", "positive", ("education",), "Детский сад отремонтировали к сентябрю, спасибо {E:dat} и строителям"),
    (
        "ru-edu-3",
        "neutral",
        ("education",),
        "{E:nom} объявил набор в летние лагеря для школьников, подробности на сайте",
    ),
    ("ru-eco-1", "negative", ("ecology",), "Опять вонь с завода по всему городу, дышать нечем. {E:nom} молчит"),
    ("ru-eco-2", "negative", ("ecology",), "Свалка у реки растёт, мусор никто не вывозит. Жалобы в {E:acc} без толку"),
    ("ru-eco-3", "positive", ("ecology",), "Посадили 500 деревьев в парке, инициатива {E:gen} — очень правильно"),
    (
        "ru-soc-1",
        "negative",
        ("social_support",),
        "Маме-инвалиду второй месяц не выплачивают пособие. В {E:loc} футболят из кабинета в кабинет",
    ),
    (
        "ru-soc-2",
        "positive",
        ("social_support",),
        "Многодетным семьям раздали продуктовые наборы, {E:dat} огромное спасибо",
    ),
    (
        "ru-soc-3",
        "neutral",
        ("social_support",),
        "Кто знает, куда обращаться насчёт адресной помощи? На сайте {E:gen} ничего не понятно",
    ),
    (
        "ru-corr-1",
        "negative",
        ("corruption",),
        "Тендер на ремонт выиграла фирма родственника. {E:nom} как всегда ни при чём",
    ),
    ("ru-corr-2", "negative", ("corruption",), "Сколько денег освоили на этой плитке? Пусть {E:nom} покажет смету"),
    (
        "ru-safe-1",
        "negative",
        ("public_safety",),
        "Во дворах темно, фонари не горят, вечером страшно выходить. {E:nom}, сделайте освещение",
    ),
    (
        "ru-safe-2",
        "positive",
        ("public_safety",),
        "Поставили камеры и светофор у школы, спасибо {E:dat}, дети переходят спокойно",
    ),
    (
        "ru-safe-3",
        "negative",
        ("public_safety", "roads"),
        "На перекрёстке у рынка каждый день аварии, сколько раз писали в {E:acc}",
    ),
    ("ru-gen-1", "neutral", ("other",), "{E:nom} проведёт приём граждан в четверг в 10:00"),
    ("ru-gen-2", "positive", ("other",), "Хоть кто-то работает: {E:nom} ответил на мою жалобу за два дня"),
    ("ru-gen-3", "negative", ("other",), "Писал в {E:acc} через eOtinish, получил отписку. Как всегда"),
    ("ru-gen-4", "neutral", ("other",), "Сегодня {E:nom} и {E2:nom} подписали меморандум о сотрудничестве"),
    ("ru-gen-5", "negative", ("other",), "Пресс-служба {E:gen} снова удаляет неудобные комментарии"),
    ("ru-gen-6", "neutral", ("other",), "Кто-нибудь знает телефон приёмной {E:gen}?"),
    (
        "ru-gen-7",
        "positive",
        ("other",),
        "Отдельное спасибо сотрудникам {E:gen}, помогли с документами быстро и вежливо",
    ),
    ("ru-gen-8", "negative", ("other",), "#{E:tag} когда будет ответ на обращение?"),
    # the place or the head, not the institution: no mention
    ("ru-place-1", "negative", ("roads",), "В {P:loc} опять дороги разбиты, весной вообще не проехать"),
    ("ru-place-2", "positive", ("ecology",), "Какая красивая осень в {P:loc}! Парк просто сказка"),
    ("ru-place-3", "neutral", ("other",), "Переезжаем в {P:acc} в следующем месяце, подскажите хороший район"),
    ("ru-place-4", "negative", ("heating_water",), "{A} обещал тепло, а в домах холодно"),
    ("ru-place-5", "neutral", ("official_work",), "{A} провёл совещание по подготовке к зиме"),
    ("ru-place-6", "negative", ("utilities",), "Жители {P:gen} жалуются на перебои с газом"),
    ("ru-place-7", "neutral", ("other",), "Акимат опять что-то согласовывает, а дело стоит"),
    ("ru-place-8", "positive", ("personal_life",), "Провёл выходные с семьёй на рыбалке, погода отличная"),
    ("ru-place-9", "neutral", ("official_work",), "Рабочая поездка по районам: осмотрели стройки школ и больниц"),
    ("ru-place-10", "negative", ("transport",), "Пробки в {P:loc} каждый вечер, объездных дорог нет"),
]
