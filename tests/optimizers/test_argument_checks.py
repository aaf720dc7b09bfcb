"""Base-argument checks and default names."""

import pytest

from lamina.optimizers import argument_checks


@pytest.mark.parametrize("steps", [1, 0.5, True, "2"])
def test_bad_accumulation_steps(steps):
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        argument_checks.check_accumulation(object, steps)


def test_good_arguments_pass():
    argument_checks.check_accumulation(object, None)
    argument_checks.check_accumulation(object, 4)
    argument_checks.check_ema(object, 0.0, None)
    argument_checks.check_clipping(object, 1.0, None, None)


def test_clipping_names_all_three():
    with pytest.raises(ValueError, match="clipnorm=1.0, clipvalue=2.0"):
        argument_checks.check_clipping(object, 1.0, 2.0, None)


def test_auto_name_is_snake_case_and_unique():
    first = argument_checks.auto_name("MyFancyOpt")
    second = argument_checks.auto_name("MyFancyOpt")
    assert first == "my_fancy_opt" or first.startswith("my_fancy_opt_")
    assert second != first and second.startswith("my_fancy_opt_")
