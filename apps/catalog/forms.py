"""Console forms. They parse text; the services validate and write. ``apply_service_errors``
(``apps.core.forms.apply_errors``) puts a service's error details beside the matching fields."""

from __future__ import annotations

from django import forms
from django.conf import settings

from apps.catalog.csv_dialect import ImportOptions
from apps.catalog.models import ImportMode, ProductStatus
from apps.core.forms import apply_errors
from apps.core.money import parse_money_input


def parse_pairs_text(text: str) -> dict:
    """``key=value; key=value`` (or one per line) into a dict; a part without ``=`` raises."""
    result = {}
    for part in (text or "").replace("\n", ";").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise forms.ValidationError(f"Write key=value pairs separated by ';' (got {part.strip()[:40]!r}).")
        key, value = part.split("=", 1)
        result[key.strip().lower()] = value.strip()
    return result


def pairs_text(value: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in (value or {}).items())


apply_service_errors = apply_errors  # the old name: one way to show a service's errors (apps.core.forms)


def shop_locale(tenant) -> str:
    """The locale a shop's staff type amounts in: the tenant's own ``locale`` when it has one,
    else the site's ``LANGUAGE_CODE``."""
    return getattr(tenant, "locale", "") or settings.LANGUAGE_CODE


class PriceField(forms.CharField):
    """An amount typed the shop's way (``24,00``, ``€24``, ``1.234,50``), cleaned to a plain
    decimal string (``"24.00"``) for the services, which check the range."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.currency = "EUR"
        self.locale = settings.LANGUAGE_CODE

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return text
        try:
            return str(parse_money_input(text, currency=self.currency, locale=self.locale))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ShopFormMixin:
    """Tell the form's ``PriceField``s the shop's currency and locale (``shop=tenant``)."""

    def set_shop(self, shop) -> None:
        if shop is None:
            return
        for field in self.fields.values():
            if isinstance(field, PriceField):
                field.currency, field.locale = shop.currency, shop_locale(shop)
                field.help_text = field.help_text or f"In {shop.currency}, e.g. 24.00 or 24,00."


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


class ProductForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.CharField(max_length=220, required=False, help_text="Blank: made from the name.")
    status = forms.ChoiceField(choices=ProductStatus.choices, initial=ProductStatus.DRAFT)
    category = CategoryChoiceField(queryset=None, required=False)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20_000,
        help_text="Markdown: **bold**, *italic*, - lists, [links](https://…), tables. HTML is shown as text.",
    )
    attributes = forms.CharField(required=False, help_text="e.g. brand=Acme; color=red", max_length=3000)
    seo_title = forms.CharField(max_length=70, required=False, label="SEO title")
    seo_description = forms.CharField(max_length=160, required=False, label="SEO description")

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories

    def clean_attributes(self):
        return parse_pairs_text(self.cleaned_data["attributes"])


class NewProductForm(ShopFormMixin, ProductForm):
    """A new product with its first variant (a simple product has one)."""

    sku = forms.CharField(max_length=64, label="SKU")
    price = PriceField()
    stock = forms.IntegerField(min_value=0, initial=0)
    image = forms.FileField(required=False, help_text="Optional: JPEG, PNG, WebP or GIF, up to 8 MB.")
    image_alt = forms.CharField(max_length=200, required=False, label="Image alt text")

    def __init__(self, *args, shop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_shop(shop)


class VariantForm(ShopFormMixin, forms.Form):
    sku = forms.CharField(max_length=64, label="SKU")
    options = forms.CharField(required=False, help_text="e.g. size=M; color=red", max_length=1000)
    price = PriceField()
    compare_at_price = PriceField(required=False, label="Compare-at price")
    stock = forms.IntegerField(min_value=0, initial=0)
    low_stock_threshold = forms.IntegerField(min_value=0, initial=5)

    def __init__(self, *args, shop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_shop(shop)

    def clean_options(self):
        return parse_pairs_text(self.cleaned_data["options"])


class ImageForm(forms.Form):
    image = forms.FileField(help_text="JPEG, PNG, WebP or GIF, up to 8 MB.")
    alt = forms.CharField(max_length=200, required=False, label="Alt text")


class CategoryForm(forms.Form):
    name = forms.CharField(max_length=120)
    slug = forms.CharField(max_length=140, required=False, help_text="Blank: made from the name.")
    parent = CategoryChoiceField(queryset=None, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = categories


DELIMITER_CHOICES = [("auto", "Detect"), ("comma", "Comma ,"), ("semicolon", "Semicolon ;"), ("tab", "Tab")]
ENCODING_CHOICES = [("auto", "Detect"), ("utf-8", "UTF-8"), ("cp1252", "Windows-1252 (Excel, Western Europe)")]
DECIMAL_CHOICES = [("auto", "Detect"), ("point", "Decimal point: 24.90"), ("comma", "Decimal comma: 24,90")]


class ImportOptionsForm(forms.Form):
    """How to read the file (``csv_dialect.ImportOptions``): detect or choose, and categories."""

    delimiter = forms.ChoiceField(choices=DELIMITER_CHOICES, initial="auto", required=False, label="Separator")
    encoding = forms.ChoiceField(choices=ENCODING_CHOICES, initial="auto", required=False, label="Encoding")
    decimal = forms.ChoiceField(choices=DECIMAL_CHOICES, initial="auto", required=False, label="Prices")
    create_categories = forms.BooleanField(
        required=False,
        label="Create missing categories",
        help_text="A category path such as “Home > Lamps > Desk” that does not exist yet is created.",
    )

    def import_options(self):
        """The cleaned choices as ``ImportOptions`` (``auto`` where nothing was chosen)."""
        data = {name: self.cleaned_data.get(name) or "auto" for name in ("delimiter", "encoding", "decimal")}
        return ImportOptions(**data, create_categories=bool(self.cleaned_data.get("create_categories")))


class ImportForm(ImportOptionsForm):
    file = forms.FileField(
        label="CSV file",
        help_text="A header row: sku, name, price, … Comma or semicolon, UTF-8 or Windows-1252: detected.",
    )
    mode = forms.ChoiceField(choices=ImportMode.choices, initial=ImportMode.SKIP, widget=forms.RadioSelect)

    field_order = ["file", "mode", "create_categories", "delimiter", "encoding", "decimal"]


class MatrixRowForm(ShopFormMixin, forms.Form):
    """One row of the variant matrix: a combination of option values and its variant's figures."""

    include = forms.BooleanField(required=False, initial=True, label="Save")
    options = forms.CharField(widget=forms.HiddenInput, max_length=1000)
    variant_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sku = forms.CharField(max_length=64, label="SKU", required=False)
    price = PriceField(required=False)
    stock = forms.IntegerField(min_value=0, initial=0, required=False)

    def __init__(self, *args, shop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_shop(shop)

    def clean_options(self):
        return parse_pairs_text(self.cleaned_data["options"])


MatrixRowFormSet = forms.formset_factory(MatrixRowForm, extra=0, max_num=100, absolute_max=100, validate_max=True)
