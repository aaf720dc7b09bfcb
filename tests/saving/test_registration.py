"""The registry of user objects: registration, scopes and look-ups."""

import pytest

import lamina
from lamina.saving import registration
from tests.keras_oracle import keras


@pytest.fixture(autouse=True)
def _clean_registry():
    objects = dict(registration._GLOBAL_CUSTOM_OBJECTS)
    names = dict(registration._GLOBAL_CUSTOM_NAMES)
    yield
    registration._GLOBAL_CUSTOM_OBJECTS.clear()
    registration._GLOBAL_CUSTOM_OBJECTS.update(objects)
    registration._GLOBAL_CUSTOM_NAMES.clear()
    registration._GLOBAL_CUSTOM_NAMES.update(names)


def test_register_class_and_function_names_match_keras():
    @lamina.saving.register_keras_serializable(package="pkg")
    class Thing:
        def get_config(self):
            return {}

    @lamina.saving.register_keras_serializable("pkg", name="renamed")
    def fn(x):
        return x

    @keras.saving.register_keras_serializable(package="pkg")
    class KThing:
        def get_config(self):
            return {}

    assert lamina.saving.get_registered_name(Thing) == "pkg>Thing"
    assert lamina.saving.get_registered_name(fn) == "pkg>renamed"
    assert keras.saving.get_registered_name(KThing) == "pkg>KThing"
    assert lamina.saving.get_registered_object("pkg>Thing") is Thing
    assert lamina.saving.get_registered_object("pkg>renamed") is fn
    assert lamina.saving.get_custom_objects()["pkg>Thing"] is Thing


def test_default_package_is_custom():
    @lamina.saving.register_keras_serializable()
    def my_fn(x):
        return x

    assert lamina.saving.get_registered_name(my_fn) == "Custom>my_fn"


def test_unregistered_name_is_dunder_name():
    def free(x):
        return x

    assert lamina.saving.get_registered_name(free) == "free"
    assert lamina.saving.get_registered_object("nothing>here") is None


def test_class_without_get_config_is_refused():
    with pytest.raises(ValueError, match="must implement `get_config"):
        lamina.saving.register_keras_serializable("pkg")(type("NoCfg", (), {}))


def test_package_with_separator_is_refused():
    with pytest.raises(ValueError, match="argument `package`.*'a>b'"):
        lamina.saving.register_keras_serializable(package="a>b")


def test_lookup_order_and_scopes():
    def a(x):
        return x

    def b(x):
        return x

    def c(x):
        return x

    registration._GLOBAL_CUSTOM_OBJECTS["name"] = a
    assert lamina.saving.get_registered_object("name") is a
    with lamina.saving.custom_object_scope({"name": b, "only_b": b}):
        assert lamina.saving.get_registered_object("name") is b
        with lamina.saving.CustomObjectScope({"name": c}):
            assert lamina.saving.get_registered_object("name") is c
            assert lamina.saving.get_registered_object("only_b") is b
        # Explicit custom objects win over every scope.
        assert (
            lamina.saving.get_registered_object(
                "name", custom_objects={"name": c}
            )
            is c
        )
    assert lamina.saving.get_registered_object("only_b") is None
    assert (
        lamina.saving.get_registered_object("mod", module_objects={"mod": c})
        is c
    )


def test_scope_is_removed_on_error():
    with pytest.raises(RuntimeError):
        with lamina.saving.custom_object_scope({"tmp": len}):
            raise RuntimeError
    assert lamina.saving.get_registered_object("tmp") is None


def test_find_by_suffix():
    @lamina.saving.register_keras_serializable(package="old")
    def legacy_fn(x):
        return x

    assert registration.find_by_suffix("legacy_fn") is legacy_fn
    assert registration.find_by_suffix("missing_fn") is None
    with lamina.saving.custom_object_scope({"p>scoped": len}):
        assert registration.find_by_suffix("scoped") is len
