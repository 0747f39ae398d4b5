"""Helpers for the catalog admin tests."""


def form_data(response) -> dict:
    """The POST body the admin page would send back unchanged: main form plus inline formsets."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = list(value)
            elif isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif isinstance(value, dict):
                data[form.add_prefix(name)] = field.prepare_value(value)
            else:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[formset.management_form.add_prefix(name)] = value
        for form in formset.initial_forms:
            add(form)
    return data
